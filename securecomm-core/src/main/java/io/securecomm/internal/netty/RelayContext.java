package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.securecomm.internal.relay.ClientRegistry;
import io.securecomm.internal.relay.PreKeyDirectory;
import io.securecomm.relay.RelayOptions;

/**
 * What every connection of one relay shares: the options, the client registry, the published pre-keys and the set
 * of open channels. Thread-safe; holds no lock.
 */
final class RelayContext {
    final RelayOptions options;
    final ClientRegistry<Channel> registry;
    final PreKeyDirectory preKeys = new PreKeyDirectory();
    final ChannelGroup channels = new DefaultChannelGroup("securecomm-relay", GlobalEventExecutor.INSTANCE);
    volatile boolean shuttingDown;

    RelayContext(RelayOptions options) {
        this.options = options;
        this.registry = new ClientRegistry<>(options.maxClients());
    }
}
