package org.atnas.cluster.hazelcast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import org.atnas.api.cluster.ClusterMember;
import org.atnas.api.cluster.JobHandler;

/**
 * A job's bytes on their way to a member, where they run through that member's {@link JobHandler}
 * (found in the instance's user context). Serialized by Hazelcast's {@link IdentifiedDataSerializable},
 * never by Java serialization. The reply starts with a status byte: a handler's failure comes back
 * as its message, because an exception of the engine's classes could not be read by the plugin.
 */
final class Job
        implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware
{
    static final int FACTORY_ID = 0x61746e;
    static final int CLASS_ID = 1;
    static final String HANDLER = "atnas.job-handler";
    static final byte OK = 0;
    static final byte FAILED = 1;

    private String fromId;
    private String fromAddress;
    private byte[] payload;
    private transient HazelcastInstance instance;

    /** For Hazelcast's factory. */
    Job() {}

    Job(ClusterMember from, byte[] payload)
    {
        this.fromId = from.id();
        this.fromAddress = from.address();
        this.payload = payload;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance)
    {
        this.instance = instance;
    }

    @Override
    public byte[] call()
    {
        JobHandler handler = (JobHandler) instance.getUserContext().get(HANDLER);
        byte[] reply;
        try {
            reply = handler.handle(new ClusterMember(fromId, fromAddress), payload);
        }
        catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            byte[] failed = new byte[text.length + 1];
            failed[0] = FAILED;
            System.arraycopy(text, 0, failed, 1, text.length);
            return failed;
        }
        byte[] ok = new byte[reply.length + 1];
        ok[0] = OK;
        System.arraycopy(reply, 0, ok, 1, reply.length);
        return ok;
    }

    @Override
    public int getFactoryId()
    {
        return FACTORY_ID;
    }

    @Override
    public int getClassId()
    {
        return CLASS_ID;
    }

    @Override
    public void writeData(ObjectDataOutput out)
            throws IOException
    {
        out.writeString(fromId);
        out.writeString(fromAddress);
        out.writeByteArray(payload);
    }

    @Override
    public void readData(ObjectDataInput in)
            throws IOException
    {
        fromId = in.readString();
        fromAddress = in.readString();
        payload = in.readByteArray();
    }
}
