package io.openfusion.app.cli;

import java.util.List;

/**
 * What a session runs, for the banner and {@code /models}: never a key or a URL.
 *
 * @param preset    the preset name, or null
 * @param maxTokens the session's answer cap, or null
 */
record RecipeView(String preset, String strategy, String aggregator, List<String> panel, String judge, Integer maxTokens,
                  String fusionModel, String where) {
}
