package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.BudgetConfig;
import io.openfusion.shared.identity.CallerIds;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the top-level {@code budgets} mapping:
 * <pre>
 * budgets:
 *   team-a: {api_key: ${TEAM_A_KEY}, usd_per_day: 5, tokens_per_day: 2000000}
 * </pre>
 * Each key must be one of the gateway keys (budgets follow the caller identity of
 * {@code gateway.api_keys}); key values are never echoed in errors.
 */
final class BudgetsParser {

  /** Dollar budgets above this are almost certainly typos (cents given as dollars, a stray zero). */
  static final double MAX_USD_PER_DAY = 1_000_000;

  private BudgetsParser() {
  }

  static List<BudgetConfig> parse(Fields root, Object raw, List<String> gatewayKeys) {
    Fields budgets = root.object("budgets");
    if (budgets == null) {
      return List.of();
    }
    List<BudgetConfig> out = new ArrayList<>();
    Map<String, String> nameByCaller = new HashMap<>();
    JsonObject entries = (JsonObject) raw;
    for (String name : entries.fieldNames()) {
      Fields budget = budgets.object(name);
      String path = budgets.path(name);
      if (budget == null) {
        throw new ConfigException(path, "must be a mapping with api_key and usd_per_day and/or tokens_per_day");
      }
      if (name.isBlank()) {
        throw new ConfigException(path, "a budget needs a name, e.g. team-a: {api_key: ${TEAM_A_KEY}, usd_per_day: 5}");
      }
      String key = budget.requiredString("api_key");
      if (!gatewayKeys.contains(key)) {
        throw new ConfigException(budget.path("api_key"), "is not one of the gateway keys; budgets apply to the keys in "
            + "gateway.api_keys (or OPENFUSION_API_KEYS), so add it there or fix the value");
      }
      long tokensPerDay = budget.integer("tokens_per_day", 0, 1, Integer.MAX_VALUE);
      double usdPerDay = usd(budget, entries.getJsonObject(name).getValue("usd_per_day"), "usd_per_day");
      if (tokensPerDay == 0 && usdPerDay == 0) {
        throw new ConfigException(path, "set usd_per_day, tokens_per_day or both");
      }
      String caller = CallerIds.ofGatewayKey(key);
      String other = nameByCaller.putIfAbsent(caller, name);
      if (other != null) {
        throw new ConfigException(budget.path("api_key"), "the same key already has the budget '" + other
            + "'; a key has at most one budget");
      }
      out.add(new BudgetConfig(name, caller, tokensPerDay, usdPerDay));
    }
    return List.copyOf(out);
  }

  /** A positive number of dollars (fractions allowed), or 0 when absent. */
  private static double usd(Fields budget, Object v, String key) {
    if (v == null) {
      return 0;
    }
    String p = budget.path(key);
    if (!(v instanceof Number n) || v instanceof Boolean) {
      throw new ConfigException(p, "must be a number of US dollars, got " + Fields.describe(v, p));
    }
    double usd = n.doubleValue();
    if (!Double.isFinite(usd) || usd <= 0 || usd > MAX_USD_PER_DAY) {
      throw new ConfigException(p, "must be greater than 0 and at most " + (long) MAX_USD_PER_DAY + ", got " + n);
    }
    return usd;
  }
}
