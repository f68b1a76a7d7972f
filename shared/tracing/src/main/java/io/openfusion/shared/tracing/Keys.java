package io.openfusion.shared.tracing;

import io.opentelemetry.api.common.AttributeKey;

import java.util.List;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

/** The attributes openfusion's spans carry: the GenAI conventions' where they have one, {@code openfusion.*} else. */
final class Keys {

  // the GenAI semantic conventions (inference spans)
  static final AttributeKey<String> OPERATION = stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
  static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Double> REQUEST_TOP_P = doubleKey("gen_ai.request.top_p");
  static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");
  static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  static final AttributeKey<Long> HTTP_STATUS = longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  // openfusion's own
  static final AttributeKey<String> REQUEST_ID = stringKey("openfusion.request_id");
  static final AttributeKey<String> NODE = stringKey("openfusion.node");
  static final AttributeKey<Boolean> STREAM = booleanKey("openfusion.stream");
  static final AttributeKey<String> OUTCOME = stringKey("openfusion.outcome");
  static final AttributeKey<String> ERROR_KIND = stringKey("openfusion.error_kind");
  static final AttributeKey<String> ROLE = stringKey("openfusion.role");
  static final AttributeKey<String> LABEL = stringKey("openfusion.label");
  static final AttributeKey<Double> COST = doubleKey("openfusion.cost_usd");
  static final AttributeKey<Long> CHUNKS = longKey("openfusion.chunks");
  static final AttributeKey<Long> REASONING_TOKENS = longKey("openfusion.usage.reasoning_tokens");
  static final AttributeKey<Long> CACHED_TOKENS = longKey("openfusion.usage.cached_tokens");
  static final AttributeKey<String> ROUTE = stringKey("openfusion.route");
  static final AttributeKey<String> STRATEGY = stringKey("openfusion.strategy");
  static final AttributeKey<String> AGGREGATOR = stringKey("openfusion.aggregator");
  static final AttributeKey<String> AUTO_ROUTER = stringKey("openfusion.auto_router");
  static final AttributeKey<String> TARGET_MODEL = stringKey("openfusion.target_model");
  static final AttributeKey<Boolean> CACHE_HIT = booleanKey("openfusion.cache_hit");
  static final AttributeKey<List<String>> CUT = stringArrayKey("openfusion.panel.cut");
  static final AttributeKey<String> FALLBACK = stringKey("openfusion.fallback");
  static final AttributeKey<Boolean> OK = booleanKey("openfusion.ok");
  static final AttributeKey<Boolean> CUT_STRAGGLER = booleanKey("openfusion.cut");
  static final AttributeKey<Long> RUN_INPUT_TOKENS = longKey("openfusion.usage.input_tokens");
  static final AttributeKey<Long> RUN_OUTPUT_TOKENS = longKey("openfusion.usage.output_tokens");

  private Keys() {
  }
}
