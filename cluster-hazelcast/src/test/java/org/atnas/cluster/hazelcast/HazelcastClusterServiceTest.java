package org.atnas.cluster.hazelcast;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.atnas.api.cluster.ClusterJobException;
import org.atnas.api.cluster.ClusterMember;
import org.atnas.api.cluster.MemberLostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two embedded members in this JVM on loopback, fixed ports. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HazelcastClusterServiceTest
{
    private static final List<String> MEMBERS = List.of("127.0.0.1:5791", "127.0.0.1:5792");

    @Test
    void membersSubmitBroadcastFailureAndMemberLeft()
            throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        try (HazelcastClusterService first = new HazelcastClusterService(MEMBERS, "127.0.0.1", 5791, "atnas-test");
                HazelcastClusterService second = new HazelcastClusterService(MEMBERS, "127.0.0.1", 5792, "atnas-test")) {
            first.start((from, job) -> ("first saw " + new String(job, StandardCharsets.UTF_8) + " from " + from.address()).getBytes(StandardCharsets.UTF_8));
            second.start((from, job) -> {
                String text = new String(job, StandardCharsets.UTF_8);
                if (text.equals("fail")) {
                    throw new IllegalArgumentException("no such job");
                }
                if (text.equals("wait")) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return ("second saw " + text).getBytes(StandardCharsets.UTF_8);
            });
            assertThat(first.members()).hasSize(2).isEqualTo(second.members());
            assertThat(first.members().get(0)).isEqualTo(first.self());
            ClusterMember other = second.self();
            assertThat(other.address()).isEqualTo("127.0.0.1:5792");

            assertThat(text(first.submit(other, "a".getBytes(StandardCharsets.UTF_8)))).isEqualTo("second saw a");
            assertThat(text(second.submit(first.self(), "b".getBytes(StandardCharsets.UTF_8)))).isEqualTo("first saw b from 127.0.0.1:5792");
            assertThat(second.broadcast("c".getBytes(StandardCharsets.UTF_8))).containsOnlyKeys(first.self());
            assertThat(text(second.broadcast("c".getBytes(StandardCharsets.UTF_8)).get(first.self()))).isEqualTo("first saw c from 127.0.0.1:5792");
            assertThatThrownBy(() -> first.submit(other, "fail".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ClusterJobException.class).hasMessage("Member 127.0.0.1:5792: no such job");

            CompletableFuture<ClusterMember> left = new CompletableFuture<>();
            first.onMemberLeft(left::complete);
            CompletableFuture<byte[]> pending = first.submit(other, "wait".getBytes(StandardCharsets.UTF_8));
            second.close();
            release.countDown();
            assertThat(left.get(30, TimeUnit.SECONDS)).isEqualTo(other);
            assertThatThrownBy(() -> pending.get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(MemberLostException.class).hasMessage("Member 127.0.0.1:5792 left the cluster before it answered");
            assertThat(first.members()).containsExactly(first.self());
        }
    }

    @Test
    void memberListIsChecked()
    {
        assertThat(HazelcastClusterService.members("10.0.0.1:5701, host-b:5702")).containsExactly("10.0.0.1:5701", "host-b:5702");
        assertThatThrownBy(() -> HazelcastClusterService.members("10.0.0.1:5701,host-b"))
                .hasMessage("Invalid member [host-b] in key [hazelcast.members]: expected HOST:PORT, for example 127.0.0.1:5701");
        assertThatThrownBy(() -> HazelcastClusterService.members("h:70000"))
                .hasMessage("Invalid member [h:70000] in key [hazelcast.members]: expected HOST:PORT, for example 127.0.0.1:5701");
    }

    private static String text(CompletableFuture<byte[]> reply)
            throws Exception
    {
        return new String(reply.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }
}
