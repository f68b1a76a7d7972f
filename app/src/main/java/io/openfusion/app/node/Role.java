package io.openfusion.app.node;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a node runs. One process runs all four by default; a cluster spreads them over nodes. */
public enum Role {
  API, ROUTER, PANEL, JUDGE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Set<Role> all() {
    return EnumSet.allOf(Role.class);
  }

  /** Parses {@code "api,router,panel,judge"} (any subset, any order). */
  public static Set<Role> parse(String list) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : list.split(",")) {
      String name = part.strip();
      if (name.isEmpty()) {
        continue;
      }
      try {
        roles.add(valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown role '" + name + "' (use api, router, panel, judge)");
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("no role given (use api, router, panel, judge)");
    }
    return roles;
  }
}
