package io.openfusion.shared.bus;

/**
 * Every event-bus address openfusion uses. Nothing else in the code base spells an address.
 *
 * <p>Point-to-point addresses ({@link #ROUTER_CHAT}, {@link #PANEL_CALL}, {@link #JUDGE_SYNTHESIZE}) are
 * consumed by every instance of the owning verticle on every node, so the event bus spreads the work and
 * adding a node adds capacity. A stream's first part is the reply to the request that asked for it; its other parts
 * and their credits go to the {@link StreamPost} of each side's context ({@link #streamPost}), so no stream needs a
 * consumer registered per request (each registration is a cluster-wide write).
 */
public final class Addresses {

  /** api → router: one chat completion to route and conduct; answered by {@link ChatReply} or {@link StreamBatch}es. */
  public static final String ROUTER_CHAT = "openfusion.router.chat";
  /** router → panel: one upstream call for one panel member. */
  public static final String PANEL_CALL = "openfusion.panel.call";
  /** router → judge: synthesize the panel answers; answered by {@link SynthesisPart}s. */
  public static final String JUDGE_SYNTHESIZE = "openfusion.judge.synthesize";
  /** api → router: the Auto Router's learned outcomes, for {@code GET /v1/routing/outcomes}. */
  public static final String ROUTER_OUTCOMES = "openfusion.router.outcomes";
  /** api → router: what a request would cost ({@code POST /v1/estimate}); body {@code {"body","override"}}. */
  public static final String ROUTER_ESTIMATE = "openfusion.router.estimate";
  /** Published by the api when a client goes away: every node drops that request's work. */
  public static final String CANCEL = "openfusion.cancel";

  private static final String ROUTER_ACCEPTED_PREFIX = "openfusion.router.accepted.";
  /**
   * In Vert.x's own namespace, where its reply addresses live: a post carries the parts and credits a reply chain
   * carried before, and Vert.x's bus metrics leave that namespace out, so their counts still mean work messages, and
   * no part or credit pays for the metric lookups (more than a local send costs).
   */
  private static final String STREAM_POST_PREFIX = "__vertx.openfusion.stream.";

  private Addresses() {
  }

  /**
   * The local address of the instances consuming {@code address} on the event-loop thread {@code loopThread} of this
   * process ({@link SameLoop}): a sender on that thread sends there, so the request and its stream never change threads.
   */
  public static String onLoop(String address, String loopThread) {
    return address + ".loop." + loopThread;
  }

  /**
   * The address where the router instance {@code instanceId} hears which node accepted each of its
   * member calls, so it can send a call again when that node leaves the cluster.
   */
  public static String routerAccepted(String instanceId) {
    return ROUTER_ACCEPTED_PREFIX + instanceId;
  }

  /** The address of the {@link StreamPost} {@code postId}: one per event-loop context that sends or receives streams. */
  public static String streamPost(String postId) {
    return STREAM_POST_PREFIX + postId;
  }
}
