package io.openfusion.app.browser;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.DemoUpstream;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The playground in a real browser (Debian's headless Chromium) against whole nodes: one on the simulated
 * demo provider, one behind a gateway key with WireMock upstreams. The methods run in order and share one
 * browser; each says what state it starts from.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlaygroundBrowserTest {

  private static final String FAIL = DemoProvider.FAIL_MODEL;
  private static final String ATLAS = "demo/atlas";
  private static final String BIRCH = "demo/birch";
  private static final String TOKEN = "team-token-for-browser-tests";
  private static final String FIRST_PROMPT = "Compare Postgres and SQLite for a small SaaS";
  private static final String CONVERSATIONS = "openfusion_conversations_v1";
  /** The page itself; {@link #theRootAndTheFolderOpenThePlayground} checks the addresses people type. */
  private static final String PAGE = "/playground/index.html";

  /** Records every fetch the page makes from now on: url, method, Authorization header, body. */
  private static final String FETCH_SPY = """
    if (!window.__ofCalls) {
      window.__ofCalls = [];
      const original = window.fetch;
      window.fetch = function (input, init) {
        const headers = (init && init.headers) || {};
        window.__ofCalls.push({ url: String(input), method: (init && init.method) || 'GET',
          auth: headers.authorization || headers.Authorization || '',
          events: headers['x-openfusion-events'] || '',
          body: init && typeof init.body === 'string' ? init.body : null });
        return original.apply(this, arguments);
      };
    }""";

  private static final List<String> JUDGE_PIECES = List.of(
    "## Fused heading\n\nThis is **bold** and `inline code`.\n\n",
    "<script>window.__pwned = 1</script>\n\n",
    "<img src=\"x\" onerror=\"window.__pwned = 2\">\n\n",
    "- first point\n- second point\n\n",
    "```java\nint answer = 42;\n```\n");
  private static final String ALPHA_ANSWER = "Alpha says **hi**.\n\n<img src=\"y\" onerror=\"window.__pwned = 3\">\n\n"
    + "[a link](javascript:window.__pwned=4)";

  @RegisterExtension
  @Order(1)
  static final NodeExtension<DemoUpstream> demo = NodeExtension
    // small delays so every stage is visible: members answer after 600 ms, the judge types quickly
    .demo(DemoOptions.instant().withDelays(60, 8, 600))
    .node(upstream -> demoRecipe(upstream.baseUrl()))
    .build();

  @RegisterExtension
  @Order(2)
  static final NodeExtension<WireMockServer> gated = NodeExtension.wireMock()
    .stubs(upstream -> {
      upstream.stubFor(Upstreams.call("wm/alpha").willReturn(Upstreams.answer("wm/alpha", ALPHA_ANSWER, 11, 7)));
      upstream.stubFor(Upstreams.call("wm/beta").willReturn(Upstreams.answer("wm/beta", "Beta prefers `SQLite` for **small** apps.", 9, 5)));
      upstream.stubFor(Upstreams.call("wm/judge").willReturn(Upstreams.streamed("wm/judge", JUDGE_PIECES, 120, 40)));
    })
    .node(upstream -> gatedRecipe(Upstreams.baseUrl(upstream)))
    // the methods run in order on one page, each from the state the one before left
    .noReset()
    .build();

  private static Browser browser;
  /** Plain HTTP checks from the test thread; it never follows redirects, so they can be asserted. */
  private static WebClient web;

  @BeforeAll
  static void start() throws IOException {
    browser = Browser.start();
    web = WebClient.create(demo.upstream().vertx(), new WebClientOptions().setFollowRedirects(false));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (web != null) {
      web.close();
    }
  }

  private static HttpResponse<Buffer> get(String url, String bearer) {
    var request = web.getAbs(url);
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    return request.send().await();
  }

  /** A failing member first, so marking members by position instead of by name would show the wrong one. */
  private static OpenFusionConfig demoRecipe(String url) {
    List<UpstreamConfig> panel = List.of(FAIL, ATLAS, BIRCH).stream()
      .map(model -> new UpstreamConfig(url, DemoProvider.DEMO_API_KEY, model, null, Provider.OPENAI)).toList();
    return OpenFusionConfig.builder()
      .strategy(Strategy.PANEL)
      .aggregator(Aggregator.JUDGE)
      .panel(panel)
      .judge(new JudgeConfig(new UpstreamConfig(url, DemoProvider.DEMO_API_KEY, DemoProvider.JUDGE_MODEL, null, Provider.OPENAI), 120_000))
      .passThrough(new UpstreamConfig(url, DemoProvider.DEMO_API_KEY, ATLAS, null, Provider.OPENAI))
      .allowRequestOverrides(true)
      .emitAnalysis(true)
      .build();
  }

  /** Gateway keys on, a UI key wanted (the pass-through has none and is remote; it is never called). */
  private static OpenFusionConfig gatedRecipe(String url) {
    return OpenFusionConfig.builder()
      .strategy(Strategy.PANEL)
      .aggregator(Aggregator.JUDGE)
      .panel(List.of(new UpstreamConfig(url, Upstreams.KEY, "wm/alpha", null, Provider.OPENAI),
        new UpstreamConfig(url, Upstreams.KEY, "wm/beta", null, Provider.OPENAI)))
      .judge(new JudgeConfig(new UpstreamConfig(url, Upstreams.KEY, "wm/judge", null, Provider.OPENAI), 120_000))
      .passThrough(new UpstreamConfig("https://api.invalid/v1", "", "remote/model", null, Provider.OPENAI))
      .gatewayKeys(List.of(TOKEN))
      .allowUiApiKey(true)
      .allowRequestOverrides(true)
      // ceilings a request may not raise: longer response lengths would change nothing, so none are offered
      .costControls(new io.openfusion.shared.config.CostControls(1024, 1024, 1024))
      .build();
  }

  private static String demoUrl(String path) {
    return "http://127.0.0.1:" + demo.port() + path;
  }

  private static String gatedUrl(String path) {
    return "http://127.0.0.1:" + gated.port() + path;
  }

  // --- the demo node -------------------------------------------------------------------------------

  @Test
  @Order(1)
  void loadsWithTheDemoNoticeTheRecipeAndStrictHeaders() {
    openPage(demoUrl(PAGE));

    assertThat(browser.driver.getTitle()).isEqualTo("openfusion playground");
    assertThat(browser.find("#demo-notice").isDisplayed()).isTrue();
    assertThat(browser.find("#demo-notice").getText()).contains("simulated");
    assertThat(chipModels()).containsExactly(FAIL, ATLAS, BIRCH);
    assertThat(browser.find("#judge-input").getDomProperty("value")).isEqualTo(DemoProvider.JUDGE_MODEL);
    assertThat(browser.find("#empty-state").getText()).contains("Model Fusion");
    assertThat(browser.js("return typeof window.DOMPurify?.sanitize === 'function' && typeof window.hljs?.highlightElement === 'function'"))
      .as("DOMPurify and highlight.js load from the WebJars").isEqualTo(true);
    assertThat(browser.findAll("#model-options option")).isNotEmpty();

    HttpResponse<Buffer> page = get(demoUrl(PAGE), null);
    MultiMap headers = page.headers();
    assertThat(headers.get("content-security-policy"))
      .contains("default-src 'self'", "script-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'")
      .doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(headers.get("x-content-type-options")).isEqualTo("nosniff");
    assertThat(headers.get("referrer-policy")).isEqualTo("no-referrer");
    assertThat(headers.get("x-frame-options")).isEqualTo("DENY");
    assertThat(page.bodyAsString()).doesNotContain(" onclick=", " onload=", "<script>");

    browser.screenshot("01-empty-demo");
    assertThat(browser.severeConsoleEntries()).as("no script error or CSP violation").isEmpty();
  }

  @Test
  @Order(2)
  void theRootAndTheFolderOpenThePlayground() {
    for (String path : List.of("/", "/playground", "/playground/")) {
      HttpResponse<Buffer> page = get(demoUrl(path), null);
      String at = path;
      int hops = 0;
      while (page.statusCode() / 100 == 3 && hops++ < 5) {
        at = page.getHeader("location");
        page = get(demoUrl(at), null);
      }
      assertThat(page.statusCode()).as("GET %s: %d redirect(s), last to %s", path, hops, at).isEqualTo(200);
      assertThat(page.bodyAsString()).contains("<title>openfusion playground</title>");
    }
  }

  @Test
  @Order(3)
  void fusesMarksEachMemberByNameAndRendersTheTurn() {
    browser.js("localStorage.clear()");
    openPage(demoUrl(PAGE));
    WebElement prompt = browser.find("#prompt");
    prompt.sendKeys(FIRST_PROMPT);
    prompt.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

    // in flight: the failing member is marked failed by its name, the two others answered
    browser.waitUntil(d -> liveMembers().equals(Map.of(FAIL, "failed", ATLAS, "ok", BIRCH, "ok")));
    assertThat(browser.find("#live .step-title").getText()).isEqualTo("Querying panel — 2/3 answered · 1 failed");
    assertThat(browser.find("#stop").isDisplayed()).isTrue();
    browser.screenshot("02-progress");

    WebElement turn = browser.waitUntil(d -> browser.findAll("#thread .turn").stream().findFirst().orElse(null));
    assertThat(browser.find("#live").isDisplayed()).isFalse();
    assertThat(turn.findElement(org.openqa.selenium.By.cssSelector(".bubble")).getText()).isEqualTo(FIRST_PROMPT);
    assertThat(turn.findElement(org.openqa.selenium.By.cssSelector(".answer-body")).getText()).contains("Fused answer for");
    assertThat(browser.find(".turn .usage-text").getText()).matches("[\\d,]+ tokens · \\$0\\.\\d+ · 2 panel members \\+ judge");

    browser.click(".turn .panel-answers summary");
    assertThat(browser.find(".turn .panel-answers summary").getText()).isEqualTo("Hide 3 panel answers");
    String atlas = ".turn .panel-card[data-model='demo/atlas']";
    assertThat(browser.find(atlas + " .panel-meta").getText()).matches("[\\d.]+ m?s · [\\d,]+ tokens · \\$0\\.\\d+");
    assertThat(browser.findAll(atlas + " .panel-body li")).as("the member's Markdown list is rendered").hasSize(3);
    assertThat(browser.find(".turn .panel-card[data-model='" + FAIL + "']").getDomAttribute("data-state")).isEqualTo("failed");
    assertThat(browser.find(".turn .panel-card[data-model='" + FAIL + "'] .panel-body").getText()).contains("500");
    assertThat(browser.findAll(".turn .analysis-card dt").stream().map(WebElement::getText)).contains("Consensus");

    JsonObject chat = lastChatBody();
    assertThat(chat.getString("model")).isEqualTo("openfusion");
    assertThat(chat.getBoolean("stream")).isTrue();
    assertThat(chat.getJsonObject("openfusion").getBoolean("expose_panel")).isTrue();
    assertThat(chat.getJsonObject("openfusion").containsKey("panel"))
      .as("an untouched recipe is the server's own: no panel override").isFalse();
    assertThat(chat.getJsonObject("openfusion").containsKey("judge")).isFalse();
    assertThat(storedTurns()).isEqualTo(1);
    browser.click(".turn .copy");
    browser.waitUntil(d -> browser.find(".turn .copy").getText().equals("Copied"));
    browser.screenshot("03-turn");
  }

  @Test
  @Order(4)
  void aFailedRunIsShownButNeverStored() {
    // from: the page of the previous test, one conversation with one turn
    setPanel(List.of(FAIL));
    typePrompt("Every member of this panel fails");
    browser.click("#fuse");

    WebElement status = browser.waitUntil(d -> browser.findAll("#live .run-status").stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    assertThat(status.getText()).startsWith("Error:").contains("Nothing was saved");
    assertThat(browser.find("#prompt").getDomProperty("value")).isEqualTo("Every member of this panel fails");
    assertThat(storedTurns()).isEqualTo(1);
    assertThat(lastChatBody().getJsonObject("openfusion").getJsonArray("panel")).containsExactly(FAIL);
    browser.screenshot("04-failed-run");
  }

  @Test
  @Order(5)
  void stopAbortsTheRunAndTheServerCancelsTheUpstreamCall() {
    DemoUpstream provider = demo.upstream();
    long cancelledBefore = provider.cancelled();
    setPanel(List.of(DemoProvider.SLOW_MODEL));
    typePrompt("Wait for the slow model");
    browser.click("#fuse");

    await().atMost(Duration.ofSeconds(10)).until(() -> provider.inFlight() >= 1);
    assertThat(browser.find("#stop").isDisplayed()).isTrue();
    browser.screenshot("05-in-flight");
    browser.click("#stop");

    await().atMost(Duration.ofSeconds(10)).until(() -> provider.cancelled() > cancelledBefore && provider.inFlight() == 0);
    WebElement status = browser.waitUntil(d -> browser.findAll("#live .run-status").stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    assertThat(status.getText()).startsWith("Stopped");
    assertThat(browser.find("#stop").isDisplayed()).isFalse();
    assertThat(browser.find("#prompt").getDomProperty("value")).isEqualTo("Wait for the slow model");
    assertThat(storedTurns()).isEqualTo(1);
    assertThat(lastChatBody().getJsonObject("openfusion").getJsonArray("panel")).containsExactly(DemoProvider.SLOW_MODEL);
  }

  @Test
  @Order(6)
  void historySurvivesAReloadAndATurnCanBeBranched() {
    openPage(demoUrl(PAGE));
    assertThat(historyTitles()).containsExactly(FIRST_PROMPT);
    assertThat(browser.findAll("#thread .turn")).hasSize(1);
    assertThat(browser.find("#thread .answer-body").getText()).contains("Fused answer for");
    assertThat(chipModels()).as("a reload starts from the server's recipe again").containsExactly(FAIL, ATLAS, BIRCH);

    WebElement row = browser.find("#thread .turn .user-row");
    browser.js("arguments[0].scrollIntoView({block: 'center'})", row);
    new Actions(browser.driver).moveToElement(row).perform();
    browser.click(row.findElement(org.openqa.selenium.By.cssSelector(".branch")));
    browser.waitUntil(d -> historyTitles().size() == 2);
    assertThat(browser.find(".history-item.active .history-title").getText()).isEqualTo("Branch of: " + FIRST_PROMPT);
    assertThat(browser.findAll("#thread .turn")).hasSize(1);

    openPage(demoUrl(PAGE));
    assertThat(browser.find(".history-item.active .history-title").getText()).startsWith("Branch of: ");
    assertThat(browser.find(".history-item.active .history-meta").getText()).startsWith("1 turn · ");
    browser.screenshot("06-history-branch");

    browser.click(".history-item.active .history-delete");
    browser.waitUntil(d -> historyTitles().size() == 1);
    assertThat(browser.findAll("#thread .turn")).as("deleting the open conversation starts a new one").isEmpty();
    browser.click(".history-item .history-open");
    assertThat(browser.findAll("#thread .turn")).hasSize(1);
  }

  @Test
  @Order(7)
  @SuppressWarnings("unchecked")
  void aFullStorageDropsTheOldestConversationsFirst() {
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) browser.asyncJs("""
      const done = arguments[arguments.length - 1];
      import('/playground/js/state/history.js').then(({ History, LIST_KEY }) => {
        const data = new Map();
        let limit = Infinity;
        const storage = {
          getItem: (k) => (data.has(k) ? data.get(k) : null),
          setItem: (k, v) => {
            if (k === LIST_KEY && v.length > limit) {
              const e = new Error('full'); e.name = 'QuotaExceededError'; throw e;
            }
            data.set(k, String(v));
          },
          removeItem: (k) => data.delete(k),
        };
        const history = new History(storage);
        const filler = 'x'.repeat(1000);
        let last = null;
        for (let i = 0; i < 5; i++) {
          last = history.addTurn(null, { id: 't' + i, prompt: 'conversation ' + i, answer: filler }).conversation;
          last.updatedAt = 1000 + i;
        }
        history.setActive(history.list()[4].id); // the oldest is the open one: it must survive
        limit = 4000;
        const saved = history.addTurn(history.activeId, { id: 'more', prompt: 'more', answer: filler });
        done({ ok: saved.ok, dropped: saved.dropped,
               titles: JSON.parse(data.get(LIST_KEY)).map((c) => c.title) });
      }).catch((e) => done({ error: String(e) }));
      """);
    assertThat(result).doesNotContainKey("error");
    assertThat(result.get("ok")).isEqualTo(true);
    assertThat(result.get("dropped")).isEqualTo(3L);
    assertThat((List<Object>) result.get("titles")).containsExactly("conversation 0", "conversation 4");
  }

  @Test
  @Order(8)
  void aPhoneWidthRendersWithoutHorizontalOverflow() {
    browser.driver.manage().window().setSize(new Dimension(390, 844));
    try {
      openPage(demoUrl(PAGE));
      browser.click(".turn .panel-answers summary");
      long width = (Long) browser.js("return window.innerWidth");
      assertThat(width).isLessThanOrEqualTo(400);
      assertThat(browser.find("#sidebar").isDisplayed()).as("the history is a closed drawer on a phone").isFalse();
      assertNoHorizontalOverflow();
      browser.screenshot("07-mobile");

      browser.find("#toggle-history").click();
      assertThat(browser.find("#sidebar").isDisplayed()).isTrue();
      assertNoHorizontalOverflow();
      browser.screenshot("08-mobile-history");
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  @Order(9)
  void attachmentsAndTheResponseLengthGoIntoTheRequest() throws IOException {
    Path dir = Files.createTempDirectory("openfusion-attachments-");
    Path notes = Files.writeString(dir.resolve("notes.md"), "# Notes\n```sh\necho hi\n```\n");
    Path pixel = Files.write(dir.resolve("pixel.png"), Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="));
    Path big = dir.resolve("big.txt");
    try (var out = Files.newOutputStream(big)) {
      out.write(new byte[10 * 1024 * 1024 + 1]);
    }
    browser.click("#new-conversation");
    new Select(browser.find("#length-select")).selectByValue("512");
    browser.find("#file-input").sendKeys(notes + "\n" + pixel + "\n" + big);
    browser.waitUntil(d -> browser.findAll("#attachment-list li").size() == 2);
    assertThat(browser.find("#attachment-error").getText()).contains("big.txt", "too large (max 10 MB)");
    typePrompt("Summarize the attached notes");
    browser.click("#fuse");
    browser.waitUntil(d -> browser.findAll("#thread .turn").size() == 1);

    assertThat(browser.find("#thread .bubble").getText()).contains("file: notes.md", "image: pixel.png");
    assertThat(browser.findAll("#attachment-list li")).as("sent files leave the composer").isEmpty();
    JsonObject chat = lastChatBody();
    assertThat(chat.getJsonObject("openfusion").getInteger("max_tokens")).isEqualTo(512);
    assertThat(new Select(browser.find("#length-select")).getOptions()).as("no cap on this server: every length is offered")
      .hasSize(5);
    JsonArray messages = chat.getJsonArray("messages");
    assertThat(messages).as("a new conversation has no earlier turns").hasSize(1);
    JsonArray parts = messages.getJsonObject(0).getJsonArray("content");
    assertThat(parts.getJsonObject(0).getString("text"))
      .isEqualTo("Summarize the attached notes\n\nFile: notes.md\n````\n# Notes\n```sh\necho hi\n```\n\n````\n");
    assertThat(parts.getJsonObject(1).getJsonObject("image_url").getString("url")).startsWith("data:image/png;base64,");
  }

  // --- the gated node: gateway token, UI key, sanitizing -------------------------------------------

  @Test
  @Order(10)
  void behindAGatewayTheTokenGoesOnEveryCallTheKeyCardWorksAndModelHtmlIsSanitized() {
    openPage(gatedUrl(PAGE));
    WebElement bootError = browser.waitUntil(d -> browser.find("#boot-error").isDisplayed() ? browser.find("#boot-error") : null);
    assertThat(bootError.getText()).contains("gateway token");

    browser.find("#boot-error-settings").click();
    assertThat(browser.find("#settings").getDomAttribute("open")).isNotNull();
    browser.find("#settings-token").sendKeys(TOKEN);
    browser.js("performance.clearResourceTimings()");
    browser.find("#settings-save").click();
    browser.waitUntil(d -> browser.find("#key-card").isDisplayed());
    assertThat(browser.find("#boot-error").isDisplayed()).isFalse();
    browser.screenshot("09-gated-key-card");

    browser.find("#key-input").sendKeys("sk-or-v1-browser-test-key", Keys.ENTER);
    browser.waitUntil(d -> !browser.find("#key-card").isDisplayed());
    JsonObject config = get(gatedUrl("/v1/config"), TOKEN).bodyAsJsonObject();
    assertThat(config.getBoolean("api_key_set")).as("the key reached POST /v1/runtime/api-key for this token").isTrue();
    assertThat(get(gatedUrl("/v1/config"), null).statusCode()).isEqualTo(401);

    typePrompt("Show me some Markdown");
    browser.waitUntil(d -> browser.find("#estimate").getText().startsWith("≈ 3 calls"));
    browser.click("#fuse");
    browser.waitUntil(d -> browser.findAll("#thread .turn").size() == 1);

    String answer = "#thread .turn .answer-body";
    assertThat(browser.find(answer + " h2").getText()).isEqualTo("Fused heading");
    assertThat(browser.find(answer + " strong").getText()).isEqualTo("bold");
    assertThat(browser.find(answer + " p code").getText()).isEqualTo("inline code");
    assertThat(browser.findAll(answer + " ul li")).hasSize(2);
    assertThat(browser.find(answer + " pre code").getDomAttribute("class")).contains("hljs");
    browser.click(".turn .panel-answers summary");
    assertThat(browser.find(".turn .panel-card[data-model='wm/alpha'] .panel-body strong").getText()).isEqualTo("hi");
    assertThat(browser.js("""
      const turn = document.querySelector('#thread .turn');
      return turn.querySelectorAll('script, iframe, object, [onerror], [onclick], [onload], a[href^="javascript:"]').length""")).isEqualTo(0L);
    assertThat(browser.js("return typeof window.__pwned")).isEqualTo("undefined");
    assertThat(browser.findAll("#thread .turn img")).as("images that are not data URLs are dropped").isEmpty();
    assertThat(browser.find(".turn .usage-text").getText()).contains("tokens", "2 panel members + judge");

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> calls = (List<Map<String, Object>>) browser.js("return window.__ofCalls.filter(c => c.url.includes('/v1/'))");
    assertThat(calls).extracting(c -> c.get("url").toString().replaceAll("^.*?/v1/", ""))
      .contains("config", "models", "estimate", "runtime/api-key", "chat/completions");
    assertThat(calls).allSatisfy(c -> assertThat(c.get("auth")).as("Authorization on %s", c.get("url")).isEqualTo("Bearer " + TOKEN));
    assertThat(calls).filteredOn(c -> c.get("url").toString().endsWith("/chat/completions"))
      .as("the playground opts in to named events").allSatisfy(c -> assertThat(c.get("events")).isEqualTo("on"));
    assertThat(new Select(browser.find("#length-select")).getOptions()).extracting(o -> o.getDomAttribute("value"))
      .as("lengths over the server's cap (1024) are not offered").containsExactly("0", "512", "1024");
    @SuppressWarnings("unchecked")
    List<Long> statuses = (List<Long>) browser.js("""
      return performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/')).map(e => e.responseStatus)""");
    assertThat(statuses).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo(200L));

    browser.click("#open-settings");
    assertThat(browser.find("#server-summary").getText()).contains("2 models: wm/alpha, wm/beta", "wm/judge", "on (the panel is editable here)");
    assertThat(browser.find("#settings-token").getDomProperty("value")).isEqualTo(TOKEN);
    assertThat(browser.find("#settings-key-input").getDomAttribute("placeholder")).startsWith("(set)");
    browser.screenshot("10-gated-settings");
    browser.find("#settings-form button[value='cancel']").click();
    assertThat(browser.find("#settings").getDomAttribute("open")).isNull();

    browser.find("#theme-toggle").click();
    assertThat(browser.js("return document.documentElement.dataset.theme")).isEqualTo("dark");
    browser.screenshot("11-gated-dark");
  }

  // --- helpers -------------------------------------------------------------------------------------

  /** Opens the page and records its fetches from then on (the boot-time config call comes before the spy). */
  private static void openPage(String url) {
    browser.open(url);
    browser.js(FETCH_SPY);
  }

  private static List<String> chipModels() {
    return browser.findAll("#panel-chips input").stream().map(i -> i.getDomProperty("value")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> liveMembers() {
    return (Map<String, String>) browser.js("""
      const out = {};
      document.querySelectorAll('#live .member').forEach(m => { out[m.dataset.model] = m.dataset.state; });
      return out;""");
  }

  /** Removes every chip but the first and types the models into chips, adding chips as needed. */
  private static void setPanel(List<String> models) {
    while (browser.findAll("#panel-chips .chip-remove").size() > 1) {
      List<WebElement> removes = browser.findAll("#panel-chips .chip-remove");
      removes.get(removes.size() - 1).click();
    }
    for (int i = 0; i < models.size(); i++) {
      if (i > 0) {
        browser.find("#add-model").click();
      }
      WebElement input = browser.findAll("#panel-chips input").get(i);
      input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
      input.sendKeys(models.get(i));
    }
    assertThat(chipModels()).isEqualTo(models);
  }

  private static void typePrompt(String text) {
    WebElement prompt = browser.find("#prompt");
    prompt.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    prompt.sendKeys(text);
  }

  private static JsonObject lastChatBody() {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> calls = (List<Map<String, Object>>) browser.js(
      "return window.__ofCalls.filter(c => c.url.endsWith('/v1/chat/completions'))");
    assertThat(calls).isNotEmpty();
    return new JsonObject((String) calls.get(calls.size() - 1).get("body"));
  }

  private static long storedTurns() {
    Object raw = browser.js("return localStorage.getItem(arguments[0])", CONVERSATIONS);
    if (raw == null) {
      return 0;
    }
    JsonArray conversations = new JsonArray((String) raw);
    long turns = 0;
    for (int i = 0; i < conversations.size(); i++) {
      turns += conversations.getJsonObject(i).getJsonArray("turns").size();
    }
    return turns;
  }

  private static List<String> historyTitles() {
    return browser.findAll("#history-list .history-title").stream().map(WebElement::getText).toList();
  }

  /** Neither the page nor any visible element reaches past the right edge of the viewport. */
  private static void assertNoHorizontalOverflow() {
    assertThat((Long) browser.js("return document.documentElement.scrollWidth - window.innerWidth"))
      .as("horizontal scroll").isLessThanOrEqualTo(0L);
    @SuppressWarnings("unchecked")
    List<String> wide = (List<String>) browser.js("""
      const limit = window.innerWidth + 1;
      return [...document.querySelectorAll('body *')].filter(el => {
        if (el.closest('.visually-hidden, .offscreen, [hidden], dialog:not([open])')) return false;
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > limit;
      }).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className);""");
    assertThat(wide).as("elements past the right edge").isEmpty();
  }
}
