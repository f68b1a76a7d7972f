package io.openfusion.app.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Set;

/**
 * The node's Prometheus registry. Vert.x binds Micrometer's JVM and process meters to it; three of them are named
 * in a way {@code promtool check metrics} objects to ({@code jvm_compilation_time_ms_total} and
 * {@code process_cpu_time_ns_total} are not in base units, {@code system_cpu_count} is a gauge with a histogram's
 * {@code _count} suffix). They are kept out and the same readings registered again in seconds, with plain names:
 * <ul>
 *   <li>{@code jvm_compilation_seconds_total{compiler}}: time the JIT compilers spent compiling;</li>
 *   <li>{@code process_cpu_seconds_total}: CPU time this process used (the name Prometheus' own clients use);</li>
 *   <li>{@code system_cpus}: processors available to the JVM.</li>
 * </ul>
 */
final class NodeMetrics {

  /** Prometheus' base unit of time; Micrometer's Prometheus naming appends it to the name. */
  private static final String SECONDS = "seconds";
  /** Micrometer's meters replaced here, by Micrometer name. */
  private static final Set<String> REPLACED = Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

  private NodeMetrics() {
  }

  /** A registry for one node: hand it to Vert.x before its meters are bound. */
  static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // in place before Vert.x binds the JVM meters: the filter decides at registration. The replacements have
    // names of their own (the registry would take a same-named one for a second registration of the first)
    registry.config().meterFilter(MeterFilter.deny(id -> REPLACED.contains(id.getName())));
    bindInBaseUnits(registry);
    return registry;
  }

  private static void bindInBaseUnits(MeterRegistry registry) {
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder("jvm.compilation", compilation, c -> c.getTotalCompilationTime() / 1_000.0)
        .description("The approximate accumulated elapsed time spent in compilation")
        .baseUnit(SECONDS)
        .tags("compiler", compilation.getName())
        .register(registry);
    }
    try {
      OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean process && process.getProcessCpuTime() >= 0) {
        FunctionCounter.builder("process.cpu", process, p -> p.getProcessCpuTime() / 1e9)
          .description("CPU time used by the Java virtual machine process")
          .baseUnit(SECONDS)
          .register(registry);
      }
    } catch (LinkageError e) {
      // a runtime without the jdk.management module: no CPU-time counter, everything else stays
    }
    Gauge.builder("system.cpus", Runtime.getRuntime(), Runtime::availableProcessors)
      .description("The number of processors available to the Java virtual machine")
      .register(registry);
  }
}
