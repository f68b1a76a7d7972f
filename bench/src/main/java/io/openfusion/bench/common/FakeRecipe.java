package io.openfusion.bench.common;

/**
 * The recipe the harnesses run against a fake upstream: {@code members} panel members ({@code fake/m1}...) and a
 * judge ({@code fake/judge}), all on that upstream, tools off, and a pass-through model when one is given. Each
 * harness appends what is its own (timeouts, workers, server, cluster).
 */
public final class FakeRecipe {

  public static final String FUSION_MODEL = "openfusion";

  private FakeRecipe() {
  }

  /**
   * @param writtenBy     who wrote the file, for its first comment line
   * @param baseUrl       the fake upstream's OpenAI base URL
   * @param passModel     the pass-through model, or null for none
   */
  public static StringBuilder yaml(String writtenBy, String baseUrl, int members, String passModel) {
    StringBuilder y = new StringBuilder();
    y.append("# written by ").append(writtenBy).append(": ").append(members).append(" panel members + judge")
      .append(passModel == null ? "" : " + pass-through").append(", all on the fake upstream\n");
    y.append("strategy: panel\naggregator: judge\nfusion_model_name: ").append(FUSION_MODEL).append('\n');
    y.append("panel:\n");
    for (int i = 1; i <= members; i++) {
      y.append("  - {label: m").append(i).append(", base_url: \"").append(baseUrl).append("\", api_key: bench, model: fake/m")
        .append(i).append("}\n");
    }
    y.append("judge: {base_url: \"").append(baseUrl).append("\", api_key: bench, model: fake/judge}\n");
    if (passModel != null) {
      y.append("pass_through: {base_url: \"").append(baseUrl).append("\", api_key: bench, model: ").append(passModel)
        .append("}\n");
    }
    y.append("tools: {web_search: false, web_fetch: false}\n");
    return y;
  }
}
