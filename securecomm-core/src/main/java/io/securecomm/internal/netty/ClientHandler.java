package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.securecomm.internal.client.Unreachable;
import io.securecomm.wire.Message;
import java.util.Objects;

/**
 * The top of a client's pipeline: it hands the client's {@link io.securecomm.internal.client.ClientSession} the
 * transport's events (up, authenticated, each message, a failure, the end), and after each lets the
 * {@link ClientDriver} carry out what they caused. It decides nothing.
 *
 * <p>Threads: the handler is added to the pipeline with the client's own thread as its executor, so Netty hands it
 * every inbound event there, in order, off the socket's event loop. Once the channel is gone, it has the driver stop
 * both of the client's threads.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final ClientDriver driver;
    private final InboundWindow window = new InboundWindow();
    private boolean added;
    private boolean active;
    private boolean removed;

    /**
     * Creates the handler of one client.
     *
     * @param driver runs the client's session on the client's thread
     */
    ClientHandler(ClientDriver driver) {
        this.driver = Objects.requireNonNull(driver, "driver");
    }

    /** The handler just below this one that bounds what waits for the client's thread. */
    InboundWindow inboundWindow() {
        return window;
    }

    /** The driver, whose thread the pipeline gives this handler as its executor. */
    ClientDriver driver() {
        return driver;
    }

    /**
     * The connection could not be made. Netty may already have removed this handler from the channel it never
     * opened; then the threads stop here, once the session has heard why.
     *
     * @param why the failure, classified
     * @param cause the transport's exception
     */
    void connectFailed(Unreachable why, Throwable cause) {
        driver.submit(session -> {
            session.handleUnreachable(why, cause);
            if (removed || !added) {
                driver.release();
            }
        }, null);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        added = true;
        driver.channelReady(ctx.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        active = true;
        driver.session().handleConnected();
        driver.run();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof RelayAuthenticated relay) {
            driver.session().handleEstablished(relay.relayKey(), relay.trust());
            driver.run();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The codec below hands up decoded values only (a Message or a Malformed), never a buffer to release.
        try {
            if (msg instanceof Message message) {
                driver.session().handleMessage(message);
            } else if (msg instanceof MessageCodecHandler.Malformed malformed) {
                driver.session().handleMalformed(malformed.cause());
            }
            driver.run();
        } finally {
            window.processed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        driver.session().handleTransportError(cause);
        driver.run();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        driver.session().handleTransportClosed();
        driver.run();
        super.channelInactive(ctx);
    }

    /**
     * The last thing Netty does with this handler: the channel is gone, and so are the client's threads; unless the
     * channel never opened, and the session has yet to hear why ({@link #connectFailed}).
     */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        if (active || driver.session().isEnded()) {
            driver.session().handleTransportClosed();
            driver.run();
            driver.release();
        }
    }
}
