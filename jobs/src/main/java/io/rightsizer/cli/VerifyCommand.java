package io.rightsizer.cli;

import io.rightsizer.job.RecommendationSerializer;
import io.rightsizer.schema.Recommendation;
import io.rightsizer.sim.GroundTruth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Reads the approval topic to its end (read_committed) and checks the"
                        + " recommendations against a simulator's ground truth file: every"
                        + " planted behaviour fired its rule, nothing else fired, no id twice.")
public class VerifyCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true)
    String bootstrap;

    @Option(names = "--truth", required = true, description = "FILE.truth.json of simulate.")
    Path truth;

    @Option(
            names = "--topic",
            defaultValue = "rightsizing-recommendations",
            description = "(default: ${DEFAULT-VALUE})")
    String topic;

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        List<Recommendation> recs = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            c.partitionsFor(topic).forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            for (TopicPartition tp : tps) {
                while (c.position(tp) < end.get(tp)) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        recs.add(RecommendationSerializer.decode(r.value()));
                    }
                }
            }
        }
        Set<String> ids = new HashSet<>();
        recs.forEach(r -> ids.add(r.getRecommendationId()));
        GroundTruth.Report report = GroundTruth.read(truth).check(recs);
        System.out.printf(
                "%d recommendations, %d distinct ids%n%s%n",
                recs.size(), ids.size(), report.summary());
        return report.passed() && ids.size() == recs.size() ? 0 : 1;
    }
}
