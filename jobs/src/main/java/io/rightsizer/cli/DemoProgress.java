package io.rightsizer.cli;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far the demo's job has come: its committed offsets against the telemetry's end. */
final class DemoProgress {
    private DemoProgress() {}

    /** Records of the telemetry topic whose offsets the job committed on a checkpoint. */
    static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(2, java.util.concurrent.TimeUnit.SECONDS);
        long sum = 0;
        for (OffsetAndMetadata o : offsets.values()) {
            if (o != null) {
                sum += o.offset();
            }
        }
        return sum;
    }

    /** The end offsets of the 4 partitions of {@code topic}, summed. */
    static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        for (int p = 0; p < 4; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long sum = 0;
        for (ListOffsetsResult.ListOffsetsResultInfo i :
                admin.listOffsets(request).all().get().values()) {
            sum += i.offset();
        }
        return sum;
    }
}
