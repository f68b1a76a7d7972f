package io.openfusion.api.responses;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.json.JsonObject;

/** {@code text.format} as chat's {@code response_format}: plain text needs none; JSON schemas move one level down. */
final class TextFormat {

  private TextFormat() {
  }

  /** @return the chat {@code response_format}, or null for plain text */
  static JsonObject responseFormat(Object format) {
    if (format == null) {
      return null;
    }
    if (!(format instanceof JsonObject f)) {
      throw invalid("text.format must be an object like {\"type\": \"json_schema\", \"name\": ..., \"schema\": {...}}");
    }
    Object type = f.getValue("type");
    if ("text".equals(type)) {
      return null;
    }
    if ("json_object".equals(type)) {
      return new JsonObject().put("type", "json_object");
    }
    if (!"json_schema".equals(type)) {
      throw invalid("text.format.type must be text, json_object or json_schema");
    }
    if (!(f.getValue("name") instanceof String name) || name.isBlank()) {
      throw invalid("text.format.name is required for json_schema");
    }
    if (!(f.getValue("schema") instanceof JsonObject schema)) {
      throw invalid("text.format.schema is required for json_schema and must be an object");
    }
    JsonObject jsonSchema = new JsonObject().put("name", name).put("schema", schema);
    if (f.getValue("description") instanceof String description) {
      jsonSchema.put("description", description);
    }
    if (f.getValue("strict") instanceof Boolean strict) {
      jsonSchema.put("strict", strict);
    }
    return new JsonObject().put("type", "json_schema").put("json_schema", jsonSchema);
  }

  private static ApiError invalid(String message) {
    return ApiError.of(ErrorCode.INVALID_PARAMETER, message);
  }
}
