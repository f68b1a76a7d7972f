package io.openfusion.shared.config;

/**
 * What {@code POST /v1/responses} keeps of the responses it answers, so a later request can continue one with
 * {@code previous_response_id} (and {@code GET /v1/responses/{id}} can return it). Responses are kept in memory
 * (cluster-wide when clustered), each for {@code store_ttl_minutes}. YAML:
 * <pre>
 * responses:
 *   store_ttl_minutes: 60   # how long a stored response can be continued or retrieved
 *   max_stored: 1000        # responses kept at once (cluster-wide); 0 stores nothing
 *   max_stored_kb: 512      # a conversation larger than this is not stored
 * </pre>
 *
 * @param storeTtlMinutes lifetime of a stored response, >= 1
 * @param maxStored       how many responses are kept at once; 0 turns storing off
 * @param maxStoredBytes  the largest stored entry (the whole conversation so far plus the response)
 */
public record ResponsesConfig(int storeTtlMinutes, int maxStored, int maxStoredBytes) {

  public static final int DEFAULT_STORE_TTL_MINUTES = 60;
  public static final int DEFAULT_MAX_STORED = 1000;
  public static final int DEFAULT_MAX_STORED_KB = 512;

  public static ResponsesConfig defaults() {
    return new ResponsesConfig(DEFAULT_STORE_TTL_MINUTES, DEFAULT_MAX_STORED, DEFAULT_MAX_STORED_KB * 1024);
  }

  /** Whether responses are stored at all. */
  public boolean storing() {
    return maxStored > 0;
  }
}
