package io.openfusion.app.cli;

import io.openfusion.logging.Logs;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One question, one answer: {@code openfusion ask} and piped stdin. The answer (and only the answer) goes to
 * stdout; progress, usage and errors go to stderr.
 */
final class OneShot {

  private OneShot() {
  }

  static int run(CliIo io, ConnectionOptions options, String prompt, boolean json, boolean estimate) {
    Logs.quietForCli();
    if (prompt == null || prompt.isBlank()) {
      throw CliException.usage("the prompt is empty");
    }
    try (Backend backend = Backend.open(io, options)) {
      if (!estimate) {
        String missing = backend.missingKey();
        if (missing != null) {
          io.err().println("openfusion: no upstream API key (needed for " + missing + ").\n"
            + "  Set OPENROUTER_API_KEY or run `openfusion setup`.");
          return ExitCodes.ERROR;
        }
      }
      JsonArray messages = Backend.userMessage(prompt);
      if (estimate) {
        JsonObject result = call(io, backend, "/estimate", backend.chatBody(messages, false));
        if (result == null) {
          return ExitCodes.INTERRUPTED;
        }
        io.out().println(json ? result.encodePrettily() : estimateText(result));
        io.out().flush();
        return ExitCodes.OK;
      }
      if (json) {
        JsonObject result = call(io, backend, "/chat/completions", backend.chatBody(messages, false));
        if (result == null) {
          return ExitCodes.INTERRUPTED;
        }
        io.out().println(result.encodePrettily());
        io.out().flush();
        return ExitCodes.OK;
      }
      return stream(io, backend, backend.chatBody(messages, true));
    }
  }

  private static int stream(CliIo io, Backend backend, JsonObject body) {
    PrintWriter out = new PrintWriter(io.out(), false, StandardCharsets.UTF_8);
    boolean errLive = io.stderrTty() && !"dumb".equals(io.envValue("TERM"));
    ProgressLine progress = new ProgressLine(io.err(), errLive, io.colorOn(io.stderrTty()));
    AnswerPrinter printer = io.colorOn(io.stdoutTty())
      ? new MarkdownStream(out, () -> Tty.stdoutWidth(80), () -> lines(io))
      : AnswerPrinter.plain(out);
    Turn turn = backend.client().stream(body);
    TurnRunner.Outcome outcome;
    try (Interrupts ignored = Interrupts.on(turn::cancel)) {
      outcome = TurnRunner.run(turn, progress, printer, () -> { });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      turn.cancel();
      return ExitCodes.INTERRUPTED;
    }
    out.flush();
    switch (outcome.status()) {
      case DONE -> {
        String usage = TurnRunner.usageLine(outcome.usage());
        if (usage != null) {
          progress.note(usage);
        }
        return ExitCodes.OK;
      }
      case CANCELLED -> {
        progress.note("· cancelled");
        return ExitCodes.INTERRUPTED;
      }
      default -> {
        io.err().println("openfusion: " + TurnRunner.describe(outcome.failure(), false));
        io.err().flush();
        return ExitCodes.ERROR;
      }
    }
  }

  /** A plain JSON call that Ctrl-C aborts; null when interrupted. */
  private static JsonObject call(CliIo io, Backend backend, String path, JsonObject body) {
    AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    AtomicBoolean interrupted = new AtomicBoolean();
    try (Interrupts ignored = Interrupts.on(() -> {
      interrupted.set(true);
      HttpClientRequest r = request.get();
      if (r != null) {
        r.reset();
      }
    })) {
      return backend.client().call(HttpMethod.POST, path, body, request).await();
    } catch (ApiFailure e) {
      if (interrupted.get()) {
        io.err().println("· cancelled");
        return null;
      }
      throw CliException.error(TurnRunner.describe(e, false));
    }
  }

  private static int lines(CliIo io) {
    try {
      String lines = io.envValue("LINES");
      return lines == null ? 24 : Math.max(5, Integer.parseInt(lines));
    } catch (NumberFormatException e) {
      return 24;
    }
  }

  /** The {@code POST /v1/estimate} answer for people. */
  static String estimateText(JsonObject estimate) {
    StringBuilder out = new StringBuilder("Estimate (no model was called):\n");
    Map<String, Integer> phases = new LinkedHashMap<>();
    if (estimate.getValue("breakdown") instanceof JsonArray breakdown) {
      for (Object entry : breakdown) {
        if (entry instanceof JsonObject call && call.getValue("phase") instanceof String phase) {
          phases.merge(phase, 1, Integer::sum);
        }
      }
    }
    StringBuilder split = new StringBuilder();
    phases.forEach((phase, n) -> split.append(split.length() == 0 ? "" : ", ").append(n).append(' ').append(phase));
    out.append("  calls          ").append(estimate.getValue("calls"));
    if (split.length() > 0) {
      out.append("  (").append(split).append(')');
    }
    out.append('\n');
    if (estimate.getValue("models") instanceof JsonArray models) {
      StringBuilder names = new StringBuilder();
      models.forEach(m -> names.append(names.length() == 0 ? "" : ", ").append(m));
      out.append("  models         ").append(names).append('\n');
    }
    out.append("  input tokens   ").append(number(estimate.getValue("input_tokens"))).append('\n');
    out.append("  output cap     ").append(number(estimate.getValue("max_output_tokens"))).append(" tokens\n");
    Object cost = estimate.getValue("cost_usd");
    if (cost instanceof Number n) {
      out.append("  cost           at most $").append(String.format(Locale.ROOT, "%.5f", n.doubleValue()));
    } else {
      out.append("  cost           unknown (no price for every model; prices come from the provider's /models list)");
    }
    return out.toString();
  }

  private static String number(Object value) {
    return value instanceof Number n ? String.format(Locale.ROOT, "%,d", n.longValue()) : String.valueOf(value);
  }
}
