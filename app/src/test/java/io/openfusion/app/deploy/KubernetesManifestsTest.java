package io.openfusion.app.deploy;

import io.openfusion.app.node.HazelcastSetup;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.loading.ConfigParser;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests in {@code examples/cluster/kubernetes} and the container image they run: they parse, the
 * headless Service finds every openfusion pod on the Hazelcast port the config uses, the api Service reaches only api
 * pods, which listen on every interface (outside a container the default is loopback), probes are where they
 * belong, and no key is written down anywhere.
 */
class KubernetesManifestsTest {

  private static final Path DIR = Path.of("..", "examples", "cluster", "kubernetes");
  /** The app module's pom, whose {@code image} profile configures the container (Jib). */
  private static final Path IMAGE_POM = Path.of("pom.xml");
  /** Shapes of real provider keys; a manifest must reference a Secret instead. */
  private static final Pattern LITERAL_KEY = Pattern.compile("sk-[A-Za-z0-9_-]{8,}|sk-or-v1-|Bearer [A-Za-z0-9]");
  private static final Pattern SECRET_ENV = Pattern.compile(".*(KEY|KEYS|TOKEN|SECRET|PASSWORD).*");

  private static final List<Map<String, Object>> docs = new ArrayList<>();
  private static final List<String> texts = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    docs.clear();
    texts.clear();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(file);
        texts.add(text);
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
          if (doc != null) {
            docs.add(map(doc));
          }
        }
      }
    }
    assertThat(docs).as("manifests in " + DIR.toAbsolutePath()).isNotEmpty();
  }

  @Test
  void everyManifestHasKindAndName() {
    for (Map<String, Object> doc : docs) {
      assertThat(doc).containsKeys("apiVersion", "kind");
      if (!"Kustomization".equals(doc.get("kind"))) {
        assertThat(map(doc.get("metadata"))).containsKey("name");
      }
    }
    assertThat(docs.stream().map(d -> d.get("kind"))).contains("Deployment", "Service", "ConfigMap");
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Map<String, Object> kustomization = only("Kustomization");
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> manifests = files.map(p -> p.getFileName().toString())
        .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList();
      assertThat(list(kustomization.get("resources"))).containsExactlyInAnyOrderElementsOf(manifests);
    }
  }

  @Test
  void headlessServiceSelectsEveryPodOnTheConfiguredHazelcastPort() {
    Map<String, Object> headless = service(s -> "None".equals(s.get("clusterIP")));
    Map<String, Object> spec = map(headless.get("spec"));
    assertThat(spec.get("publishNotReadyAddresses")).as("pods must find each other before they are ready").isEqualTo(true);
    Map<String, Object> port = map(list(spec.get("ports")).get(0));
    ClusterSettings cluster = podConfig().cluster();
    assertThat(port.get("port")).isEqualTo(cluster.port());

    List<Map<String, Object>> deployments = all("Deployment");
    assertThat(deployments).hasSize(2);
    for (Map<String, Object> deployment : deployments) {
      assertThat(selects(map(spec.get("selector")), podLabels(deployment))).as(name(deployment)).isTrue();
      assertThat(containerPort(container(deployment), port.get("targetPort"))).as(name(deployment)).isEqualTo(cluster.port());
    }
    String namespace = Objects.toString(map(headless.get("metadata")).get("namespace"), "default");
    assertThat(cluster.kubernetes()).isNotNull();
    assertThat(cluster.kubernetes().serviceDns()).isEqualTo(name(headless) + "." + namespace + ".svc.cluster.local");
    assertThat(cluster.members()).isEmpty();
  }

  @Test
  void apiServiceReachesOnlyApiPodsOnTheirHttpPort() {
    Map<String, Object> api = service(s -> !"None".equals(s.get("clusterIP")));
    Map<String, Object> spec = map(api.get("spec"));
    Map<String, Object> port = map(list(spec.get("ports")).get(0));
    for (Map<String, Object> deployment : all("Deployment")) {
      boolean apiRole = roles(deployment).contains("api");
      assertThat(selects(map(spec.get("selector")), podLabels(deployment))).as(name(deployment)).isEqualTo(apiRole);
      if (apiRole) {
        assertThat(containerPort(container(deployment), port.get("targetPort"))).isEqualTo(podConfig().server().port());
      }
    }
  }

  @Test
  void apiPodsListenOnEveryInterface() {
    for (Map<String, Object> deployment : all("Deployment")) {
      if (!roles(deployment).contains("api")) {
        continue;
      }
      Map<String, String> env = literalEnv(container(deployment));
      assertThat(env).as(name(deployment) + ": the Service and the probes reach the pod IP, never its loopback")
        .containsEntry("OPENFUSION_HOST", "0.0.0.0");
      assertThat(podConfig(env).server().host()).isEqualTo("0.0.0.0");
    }
  }

  @Test
  void theImageListensOnEveryInterface() throws Exception {
    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document pom = factory.newDocumentBuilder().parse(IMAGE_POM.toFile());
    XPath xpath = XPathFactory.newInstance().newXPath();
    String plugin = "//*[local-name()='profile'][*[local-name()='id']='image']//*[local-name()='plugin']"
      + "[*[local-name()='artifactId']='jib-maven-plugin']";

    assertThat(xpath.evaluate(plugin + "//*[local-name()='container']/*[local-name()='environment']"
      + "/*[local-name()='OPENFUSION_HOST']", pom).strip()).isEqualTo("0.0.0.0");
    assertThat(xpath.evaluate(plugin + "//*[local-name()='container']//*[local-name()='port'][1]", pom).strip())
      .isEqualTo(String.valueOf(podConfig().server().port()));
  }

  @Test
  void rolesAreSplitBetweenTheDeployments() {
    assertThat(all("Deployment").stream().map(KubernetesManifestsTest::roles))
      .containsExactlyInAnyOrder("api,router,judge", "panel");
  }

  @Test
  void httpPodsAreProbedOnReadyzAndHealthzAndWorkerPodsOnTheirClusterPort() {
    for (Map<String, Object> deployment : all("Deployment")) {
      Map<String, Object> container = container(deployment);
      for (String probe : List.of("readinessProbe", "livenessProbe")) {
        Map<String, Object> p = map(container.get(probe));
        assertThat(p).as(name(deployment) + " " + probe).isNotEmpty();
        if (roles(deployment).contains("api")) {
          Map<String, Object> get = map(p.get("httpGet"));
          // readiness fails while the node drains; liveness must not, or a draining pod would be killed
          assertThat(get.get("path")).as(probe).isEqualTo(probe.equals("readinessProbe") ? "/readyz" : "/healthz");
          assertThat(containerPort(container, get.get("port"))).isEqualTo(podConfig().server().port());
        } else {
          // worker-only nodes serve no HTTP
          assertThat(containerPort(container, map(p.get("tcpSocket")).get("port"))).isEqualTo(podConfig().cluster().port());
        }
      }
    }
  }

  @Test
  void podsRunAsNonRootWithBoundedResourcesAndTimeToDrain() {
    OpenFusionConfig config = podConfig();
    for (Map<String, Object> deployment : all("Deployment")) {
      Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
      assertThat(map(pod.get("securityContext")).get("runAsNonRoot")).isEqualTo(true);
      // the pod is killed only after its preStop wait, the drain and the time to leave the cluster
      long stopMs = preStopSeconds(container(deployment)) * 1000 + config.server().shutdownGraceMs()
        + HazelcastSetup.LEAVE_MAX_WAIT_SECONDS * 1000L;
      assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue() * 1000).as(name(deployment))
        .isGreaterThan(stopMs);
      Map<String, Object> resources = map(container(deployment).get("resources"));
      assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
      assertThat(map(resources.get("limits"))).containsKeys("cpu", "memory");
      assertThat(mebibytes(map(resources.get("requests")).get("memory")))
        .isLessThanOrEqualTo(mebibytes(map(resources.get("limits")).get("memory")));
    }
  }

  @Test
  void rollingUpdatesReplaceOnePodAtATimeAndApiPodsLeaveTheServiceBeforeSigterm() {
    for (Map<String, Object> deployment : all("Deployment")) {
      Map<String, Object> strategy = map(map(deployment.get("spec")).get("strategy"));
      assertThat(strategy.get("type")).as(name(deployment)).isEqualTo("RollingUpdate");
      // the new pod joins before the old one gets SIGTERM
      assertThat(map(strategy.get("rollingUpdate"))).as(name(deployment))
        .containsEntry("maxUnavailable", 0).containsEntry("maxSurge", 1);
      if (roles(deployment).contains("api")) {
        // endpoints drop a terminating pod asynchronously: requests still routed to it in that window would meet
        // a draining node, so SIGTERM waits a few seconds
        assertThat(preStopSeconds(container(deployment))).as(name(deployment)).isBetween(3L, 15L);
      }
    }
  }

  @Test
  void keysComeFromASecretNeverFromTheManifests() {
    assertThat(all("Secret")).as("no Secret with values is shipped").isEmpty();
    for (String text : texts) {
      assertThat(LITERAL_KEY.matcher(text).find()).as(text).isFalse();
    }
    for (Map<String, Object> deployment : all("Deployment")) {
      for (Object e : list(container(deployment).get("env"))) {
        Map<String, Object> env = map(e);
        if (SECRET_ENV.matcher(String.valueOf(env.get("name"))).matches()) {
          assertThat(env).as(env.toString()).doesNotContainKey("value");
          assertThat(map(map(env.get("valueFrom")).get("secretKeyRef"))).containsKeys("name", "key");
        }
      }
    }
    // the config only names environment variables where keys go
    String yaml = String.valueOf(map(only("ConfigMap").get("data")).get("openfusion.yaml"));
    assertThat(yaml).doesNotContainPattern("api_keys?:\\s*[\"']?[A-Za-z0-9]");
  }

  /** The ConfigMap's openfusion.yaml, read the way a pod reads it (POD_IP set from status.podIP). */
  private static OpenFusionConfig podConfig() {
    return podConfig(Map.of());
  }

  /** The same, with a container's own environment as well. */
  private static OpenFusionConfig podConfig(Map<String, String> containerEnv) {
    String yaml = String.valueOf(map(only("ConfigMap").get("data")).get("openfusion.yaml"));
    Map<String, Object> tree = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
    Map<String, String> env = new HashMap<>(containerEnv);
    env.put("POD_IP", "10.1.2.3");
    OpenFusionConfig config = ConfigParser.parse(new JsonObject(tree), env, "configmap");
    assertThat(config.cluster().host()).isEqualTo("10.1.2.3");
    return config;
  }

  /** The seconds a container's preStop hook sleeps ({@code sleep N}), 0 without one. */
  private static long preStopSeconds(Map<String, Object> container) {
    List<Object> command = list(map(map(map(container.get("lifecycle")).get("preStop")).get("exec")).get("command"));
    if (command.isEmpty()) {
      return 0;
    }
    assertThat(command).hasSize(2).startsWith("sleep");
    return Long.parseLong(String.valueOf(command.get(1)));
  }

  /** A container's environment variables that have a literal value. */
  private static Map<String, String> literalEnv(Map<String, Object> container) {
    Map<String, String> env = new HashMap<>();
    for (Object e : list(container.get("env"))) {
      Map<String, Object> variable = map(e);
      if (variable.containsKey("value")) {
        env.put(String.valueOf(variable.get("name")), String.valueOf(variable.get("value")));
      }
    }
    return env;
  }

  private static String roles(Map<String, Object> deployment) {
    List<Object> args = list(container(deployment).get("args"));
    int i = args.indexOf("--roles");
    assertThat(i).as(name(deployment) + " passes --roles").isGreaterThanOrEqualTo(0);
    assertThat(args).contains("--cluster");
    return String.valueOf(args.get(i + 1));
  }

  /** A container port by number or by name. */
  private static Object containerPort(Map<String, Object> container, Object ref) {
    if (ref instanceof Number) {
      return ((Number) ref).intValue();
    }
    return list(container.get("ports")).stream().map(KubernetesManifestsTest::map)
      .filter(p -> ref.equals(p.get("name"))).map(p -> p.get("containerPort")).findFirst().orElse(null);
  }

  private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty() && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static Map<String, Object> podLabels(Map<String, Object> deployment) {
    Map<String, Object> spec = map(deployment.get("spec"));
    Map<String, Object> labels = map(map(map(spec.get("template")).get("metadata")).get("labels"));
    assertThat(selects(map(map(spec.get("selector")).get("matchLabels")), labels)).as("own selector").isTrue();
    return labels;
  }

  private static Map<String, Object> container(Map<String, Object> deployment) {
    Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
    List<Object> containers = list(pod.get("containers"));
    assertThat(containers).hasSize(1);
    return map(containers.get(0));
  }

  private static long mebibytes(Object quantity) {
    String q = String.valueOf(quantity);
    return q.endsWith("Gi") ? Long.parseLong(q.replace("Gi", "")) * 1024 : Long.parseLong(q.replace("Mi", ""));
  }

  private static Map<String, Object> service(java.util.function.Predicate<Map<String, Object>> spec) {
    List<Map<String, Object>> matching = all("Service").stream().filter(s -> spec.test(map(s.get("spec")))).toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }

  private static Map<String, Object> only(String kind) {
    List<Map<String, Object>> all = all(kind);
    assertThat(all).as(kind).hasSize(1);
    return all.get(0);
  }

  private static List<Map<String, Object>> all(String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  private static String name(Map<String, Object> doc) {
    return String.valueOf(map(doc.get("metadata")).get("name"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }
}
