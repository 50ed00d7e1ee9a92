package org.atnas.cluster.hazelcast;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import org.atnas.api.cluster.ClusterJobException;
import org.atnas.api.cluster.ClusterMember;
import org.atnas.api.cluster.ClusterService;
import org.atnas.api.cluster.JobHandler;
import org.atnas.api.cluster.MemberLostException;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ClusterService} on an embedded Hazelcast member. What it does to limit exposure, since
 * Hazelcast open source authenticates nobody: it listens on one configured address only (loopback by
 * default), joins only the members listed (TCP/IP; multicast and auto-detection off), only a cluster of
 * the configured name, and never phones home. Jobs run on the members' executor {@value #EXECUTOR}.
 */
final class HazelcastClusterService
        implements ClusterService
{
    static final String NAME = "hazelcast";
    private static final String EXECUTOR = "atnas-jobs";

    private final List<String> members;
    private final String bindAddress;
    private final int port;
    private final String clusterName;
    private final List<Consumer<ClusterMember>> leftListeners = new CopyOnWriteArrayList<>();
    private final Map<String, ClusterMember> known = new ConcurrentHashMap<>();
    private HazelcastInstance instance;
    private IExecutorService executor;

    HazelcastClusterService(List<String> members, String bindAddress, int port, String clusterName)
    {
        this.members = List.copyOf(requireNonNull(members, "members is null"));
        this.bindAddress = requireNonNull(bindAddress, "bindAddress is null");
        this.port = port;
        this.clusterName = requireNonNull(clusterName, "clusterName is null");
    }

    /**
     * The member list of {@code cluster.members}: HOST:PORT entries separated by commas.
     *
     * @throws IllegalArgumentException naming the entry that is not HOST:PORT
     */
    static List<String> members(String text)
    {
        List<String> members = new ArrayList<>();
        for (String entry : text.split(",")) {
            String member = entry.strip();
            int colon = member.lastIndexOf(':');
            boolean valid = colon > 0 && colon < member.length() - 1 && member.substring(colon + 1).chars().allMatch(Character::isDigit);
            if (valid) {
                int port = Integer.parseInt(member.substring(colon + 1).length() > 5 ? "0" : member.substring(colon + 1));
                valid = port >= 1 && port <= 65535;
            }
            if (!valid) {
                throw new IllegalArgumentException("Invalid member [" + member + "] in key [hazelcast.members]: expected HOST:PORT, for example 127.0.0.1:5701");
            }
            members.add(member);
        }
        return members;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public synchronized void start(JobHandler handler)
    {
        requireNonNull(handler, "handler is null");
        if (instance != null) {
            throw new IllegalStateException("The cluster service has already started");
        }
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName("atnas-" + bindAddress + "-" + port);
        // the job class and its factory are the plugin's: Hazelcast must not look for them on the host's class path
        config.setClassLoader(HazelcastClusterService.class.getClassLoader());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", bindAddress);
        // members that leave are noticed within seconds, not the default minute
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        // members of a search start together: no need to wait the default 5 s for more to appear before joining
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        // a meta-step on CPU members may run for minutes on busy cores: the default 60 s call timeout would give it up
        config.setProperty("hazelcast.operation.call.timeout.millis", "900000");
        config.getUserContext().put(Job.HANDLER, handler);
        config.getSerializationConfig().addDataSerializableFactory(Job.FACTORY_ID, id -> id == Job.CLASS_ID ? new Job() : null);
        config.getExecutorConfig(EXECUTOR).setPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()));
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bindAddress);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        try {
            instance = Hazelcast.newHazelcastInstance(config);
        }
        catch (RuntimeException e) {
            throw new ClusterJobException("Cannot start a Hazelcast member on " + bindAddress + ":" + port + " (keys [hazelcast.bind-address], [hazelcast.port]): " + e.getMessage(), e);
        }
        executor = instance.getExecutorService(EXECUTOR);
        instance.getCluster().addMembershipListener(new MembershipListener()
        {
            @Override
            public void memberAdded(MembershipEvent event) {}

            @Override
            public void memberRemoved(MembershipEvent event)
            {
                ClusterMember left = member(event.getMember());
                for (Consumer<ClusterMember> listener : leftListeners) {
                    listener.accept(left);
                }
            }
        });
    }

    @Override
    public ClusterMember self()
    {
        return member(started().getCluster().getLocalMember());
    }

    @Override
    public List<ClusterMember> members()
    {
        return started().getCluster().getMembers().stream().map(this::member).toList();
    }

    @Override
    public CompletableFuture<byte[]> submit(ClusterMember member, byte[] job)
    {
        requireNonNull(member, "member is null");
        requireNonNull(job, "job is null");
        HazelcastInstance running = started();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        Member target = running.getCluster().getMembers().stream().filter(candidate -> candidate.getUuid().toString().equals(member.id())).findFirst().orElse(null);
        if (target == null) {
            reply.completeExceptionally(new MemberLostException(member, null));
            return reply;
        }
        executor.submitToMember(new Job(self(), job), target, new ExecutionCallback<byte[]>()
        {
            @Override
            public void onResponse(byte[] response)
            {
                if (response[0] == Job.OK) {
                    byte[] payload = new byte[response.length - 1];
                    System.arraycopy(response, 1, payload, 0, payload.length);
                    reply.complete(payload);
                }
                else {
                    reply.completeExceptionally(new ClusterJobException("Member " + member + ": " + new String(response, 1, response.length - 1, StandardCharsets.UTF_8)));
                }
            }

            @Override
            public void onFailure(Throwable failure)
            {
                reply.completeExceptionally(lost(failure)
                        ? new MemberLostException(member, failure)
                        : new ClusterJobException("The job sent to member " + member + " failed: " + failure, failure));
            }
        });
        return reply;
    }

    private static boolean lost(Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MemberLeftException || cause instanceof TargetNotMemberException || cause instanceof HazelcastInstanceNotActiveException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Map<ClusterMember, CompletableFuture<byte[]>> broadcast(byte[] job)
    {
        ClusterMember self = self();
        Map<ClusterMember, CompletableFuture<byte[]>> replies = new LinkedHashMap<>();
        for (ClusterMember member : members()) {
            if (!member.equals(self)) {
                replies.put(member, submit(member, job));
            }
        }
        return replies;
    }

    @Override
    public void onMemberLeft(Consumer<ClusterMember> listener)
    {
        leftListeners.add(requireNonNull(listener, "listener is null"));
    }

    private ClusterMember member(Member member)
    {
        String id = member.getUuid().toString();
        return known.computeIfAbsent(id, key -> new ClusterMember(key, member.getAddress().getHost() + ":" + member.getAddress().getPort()));
    }

    private synchronized HazelcastInstance started()
    {
        if (instance == null) {
            throw new IllegalStateException("The cluster service has not started");
        }
        return instance;
    }

    @Override
    public synchronized void close()
    {
        if (instance != null) {
            instance.shutdown();
        }
    }
}
