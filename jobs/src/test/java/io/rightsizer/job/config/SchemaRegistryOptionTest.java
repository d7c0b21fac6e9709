package io.rightsizer.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.job.codec.ApprovalSchema;
import org.junit.jupiter.api.Test;

/** {@code kafka.schema-registry.url}: unset by default, checked when the configuration is read. */
class SchemaRegistryOptionTest {
    static final String BOOTSTRAP = "kafka:\n  bootstrap-servers: 127.0.0.1:9092\n";

    @Test
    void unsetByDefaultSoTheApprovalTopicStaysInSingleObjectEncoding() throws Exception {
        JobConfig c = JobConfig.parse(BOOTSTRAP, "job.yaml");

        assertThat(c.get(RightsizerOptions.SCHEMA_REGISTRY_URL)).isNull();
        assertThat(ApprovalSchema.register(null, "rightsizing-recommendations"))
                .isEqualTo(ApprovalSchema.NONE);
    }

    @Test
    void anHttpUrlIsTaken() throws Exception {
        JobConfig c =
                JobConfig.parse(
                        BOOTSTRAP
                                + "  schema-registry:\n"
                                + "    url: http://registry.dc:8080/apis/ccompat/v7\n",
                        "job.yaml");

        assertThat(c.get(RightsizerOptions.SCHEMA_REGISTRY_URL))
                .isEqualTo("http://registry.dc:8080/apis/ccompat/v7");
    }

    @Test
    void aUrlWithoutSchemeIsRefusedWhenTheConfigurationIsRead() {
        assertThatThrownBy(
                        () ->
                                JobConfig.parse(
                                        BOOTSTRAP + "  schema-registry:\n    url: registry:8081\n",
                                        "job.yaml"))
                .isInstanceOf(JobConfig.InvalidConfigException.class)
                .hasMessage(
                        "job.yaml: kafka.schema-registry.url must be the http(s):// URL of a"
                                + " schema registry's Confluent-compatible API, e.g."
                                + " http://127.0.0.1:8080/apis/ccompat/v7 (Apicurio) or"
                                + " http://127.0.0.1:8081 (Confluent): 'registry:8081'");
    }
}
