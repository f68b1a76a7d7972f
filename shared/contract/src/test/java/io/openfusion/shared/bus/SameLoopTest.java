package io.openfusion.shared.bus;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class SameLoopTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A router stand-in: takes chats on its own loop's address and answers with the thread that handled them. */
  private static final class Router extends VerticleBase {
    private final List<String> loops;
    private String loop;

    Router(List<String> loops) {
      this.loops = loops;
    }

    @Override
    public Future<?> start() {
      loop = Thread.currentThread().getName();
      loops.add(loop);
      return SameLoop.of(vertx, Addresses.ROUTER_CHAT).consume(vertx, chat -> chat.reply(Thread.currentThread().getName())).completion();
    }

    @Override
    public Future<?> stop() {
      SameLoop.of(vertx, Addresses.ROUTER_CHAT).leave(loop);
      return Future.succeededFuture();
    }
  }

  /** The contexts of a verticle deployed with two instances: one on each of this Vert.x's two event loops. */
  private List<Context> bothLoops() {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(2)).await();
    return contexts;
  }

  private static <T> T on(Context context, Callable<T> task) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(task.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future().await();
  }

  @Test
  void aChatFromALoopWithARouterStaysOnThatLoopAndOtherLoopsUseTheSharedAddress() {
    List<String> routerLoops = new CopyOnWriteArrayList<>();
    String deployment = vertx.deployVerticle(() -> new Router(routerLoops), new DeploymentOptions().setInstances(1)).await();
    List<Context> loops = bothLoops();
    String routerName = routerLoops.get(0);
    Context routerLoop = on(loops.get(0), () -> Thread.currentThread().getName()).equals(routerName) ? loops.get(0) : loops.get(1);
    Context otherLoop = routerLoop == loops.get(0) ? loops.get(1) : loops.get(0);
    assertThat(on(routerLoop, () -> Thread.currentThread().getName())).isEqualTo(routerName);
    assertThat(on(otherLoop, () -> Thread.currentThread().getName())).isNotEqualTo(routerName);

    String fromRouterLoop = on(routerLoop, () -> SameLoop.of(vertx, Addresses.ROUTER_CHAT).address());
    assertThat(fromRouterLoop).isEqualTo(Addresses.onLoop(Addresses.ROUTER_CHAT, routerName));
    assertThat(on(otherLoop, () -> SameLoop.of(vertx, Addresses.ROUTER_CHAT).address())).isEqualTo(Addresses.ROUTER_CHAT);

    String handledOn = on(routerLoop, () -> vertx.eventBus().<String>request(fromRouterLoop, new JsonObject()))
      .await().body();
    assertThat(handledOn).isEqualTo(routerName);

    vertx.undeploy(deployment).await();
    assertThat(on(routerLoop, () -> SameLoop.of(vertx, Addresses.ROUTER_CHAT).address())).isEqualTo(Addresses.ROUTER_CHAT);
  }

  @Test
  void twoRoutersOnOneLoopAreCountedUntilTheLastLeaves() {
    SameLoop routers = SameLoop.of(vertx, Addresses.ROUTER_CHAT);
    Context loop = bothLoops().get(0);
    on(loop, () -> routers.consume(vertx, chat -> chat.reply(null)).completion()).await();
    on(loop, () -> routers.consume(vertx, chat -> chat.reply(null)).completion()).await();
    String name = on(loop, () -> Thread.currentThread().getName());
    routers.leave(name);
    assertThat(on(loop, () -> routers.address())).isEqualTo(Addresses.onLoop(Addresses.ROUTER_CHAT, name));
    routers.leave(name);
    assertThat(on(loop, () -> routers.address())).isEqualTo(Addresses.ROUTER_CHAT);
  }

  @Test
  void eachAddressCountsItsOwnInstances() {
    Context loop = bothLoops().get(0);
    on(loop, () -> SameLoop.of(vertx, Addresses.JUDGE_SYNTHESIZE).consume(vertx, m -> m.reply(null)).completion()).await();
    String name = on(loop, () -> Thread.currentThread().getName());

    assertThat(on(loop, () -> SameLoop.of(vertx, Addresses.JUDGE_SYNTHESIZE).address()))
      .isEqualTo(Addresses.onLoop(Addresses.JUDGE_SYNTHESIZE, name));
    assertThat(on(loop, () -> SameLoop.of(vertx, Addresses.ROUTER_CHAT).address())).isEqualTo(Addresses.ROUTER_CHAT);
  }
}
