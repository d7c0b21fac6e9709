package io.rightsizer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rightsizer.schema.RuleSetEnvelope;
import io.rightsizer.schema.RuleSetStatus;
import io.rightsizer.schema.RuleUpdateOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The wire format of the rules topic and of the rules status topic. */
class RuleEnvelopesTest {
    private static final String DOCUMENT =
            "version: \"2026.12.0\"  # größer\nrules:\n  scale-up.storage.usage:\n"
                    + "    usage-above-pct: 75\n";

    @Test
    void sha256IsTheLowercaseHexDigestOfTheUtf8Bytes() {
        // FIPS 180-2, appendix B.1, and the digest of the empty string.
        assertThat(RuleEnvelopes.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(RuleEnvelopes.sha256Hex(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // "é" is hashed as its two UTF-8 bytes c3 a9.
        assertThat(RuleEnvelopes.sha256Hex("\u00e9"))
                .isEqualTo(
                        RuleEnvelopes.sha256Hex(
                                new String(
                                        new byte[] {(byte) 0xc3, (byte) 0xa9},
                                        StandardCharsets.UTF_8)));
    }

    @Test
    void envelopeCarriesTheDocumentExactlyWithItsDigestAndRoundTrips() {
        RuleSetEnvelope e =
                RuleEnvelopes.envelope(
                        DOCUMENT,
                        "2026.12.0",
                        "alice",
                        Instant.parse("2026-12-01T08:00:00.123456Z"));

        assertThat(e.getDocument()).isEqualTo(DOCUMENT);
        assertThat(e.getSha256()).isEqualTo(RuleEnvelopes.sha256Hex(DOCUMENT)).hasSize(64);
        assertThat(e.getPublishedAt()).isEqualTo(Instant.parse("2026-12-01T08:00:00.123Z"));

        byte[] bytes = RuleEnvelopes.encode(e);
        assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xc3, 0x01);
        assertThat(RuleEnvelopes.decodeEnvelope(bytes)).isEqualTo(e);
    }

    @Test
    void statusRoundTrips() {
        RuleSetStatus s =
                RuleSetStatus.newBuilder()
                        .setOutcome(RuleUpdateOutcome.REJECTED)
                        .setVersion("2026.12.1")
                        .setAuthor("bob")
                        .setPublishedAt(Instant.parse("2026-12-01T09:00:00Z"))
                        .setSha256(RuleEnvelopes.sha256Hex("x"))
                        .setReason("rules:4:5: unknown key\nrules:6:22: out of range")
                        .setPreviousVersion("2026.12.0")
                        .setInForceVersion("2026.12.0")
                        .setDecidedAt(Instant.parse("2026-12-01T09:00:01.500Z"))
                        .setSourcePartition(0)
                        .setSourceOffset(7L)
                        .build();

        assertThat(RuleEnvelopes.decodeStatus(RuleEnvelopes.encode(s))).isEqualTo(s);
    }

    @Test
    void garbageIsRefusedWithTheReason() {
        assertThatThrownBy(
                        () ->
                                RuleEnvelopes.decodeEnvelope(
                                        "version: 1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "not a RuleSetEnvelope: not Avro single-object encoding (no complete C3 01"
                                + " header and fingerprint)");
        assertThatThrownBy(() -> RuleEnvelopes.decodeStatus(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a RuleSetStatus: empty record value (a tombstone?)");
        assertThatThrownBy(() -> RuleEnvelopes.decodeStatus(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a RuleSetStatus: empty record value (a tombstone?)");
    }

    @Test
    void aRecordOfAnotherSchemaOrWithTrailingBytesIsRefused() {
        byte[] envelope =
                RuleEnvelopes.encode(RuleEnvelopes.envelope(DOCUMENT, "v", "a", Instant.EPOCH));

        assertThatThrownBy(() -> RuleEnvelopes.decodeStatus(envelope))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a RuleSetStatus: unknown writer schema fingerprint: ");

        byte[] longer = Arrays.copyOf(envelope, envelope.length + 3);
        assertThatThrownBy(() -> RuleEnvelopes.decodeEnvelope(longer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a RuleSetEnvelope: 3 bytes after the end of the Avro body");

        byte[] cut = Arrays.copyOf(envelope, 14);
        assertThatThrownBy(() -> RuleEnvelopes.decodeEnvelope(cut))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "not a RuleSetEnvelope: the Avro body does not match the schema: ");
    }
}
