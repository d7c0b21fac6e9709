package io.rightsizer.ingest.prometheus;

import io.rightsizer.telemetry.SampleValidator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which series of a remote write request say something about a VM, and what: node_exporter's
 * memory, file system and CPU series and the libvirt exporter's per-domain memory and state
 * (docs/providers/prometheus.md, "Mapping"). Everything else is ignored with a {@link Ignored}
 * reason, so the counters say why a sample was not used.
 */
public final class PromMapping {
    /** What a mapped value is; {@link Mapped#instance} names the file system or CPU. */
    public enum Kind {
        /** node_memory_MemTotal_bytes. */
        MEM_TOTAL,
        /** node_memory_MemAvailable_bytes. */
        MEM_AVAILABLE,
        /** node_filesystem_size_bytes, instance = the device (else the mount point). */
        FS_SIZE,
        /** node_filesystem_avail_bytes, instance as FS_SIZE. */
        FS_AVAIL,
        /** node_cpu_seconds_total{mode="idle"}, a counter, instance = the cpu label. */
        CPU_IDLE_SECONDS,
        /** libvirt_domain_info_maximum_memory_bytes. */
        LIBVIRT_MAX_MEMORY,
        /** libvirt_domain_memory_stats_available_bytes (the guest's total, balloon stats). */
        LIBVIRT_GUEST_AVAILABLE,
        /** libvirt_domain_memory_stats_usable_bytes (the guest's MemAvailable). */
        LIBVIRT_GUEST_USABLE,
        /** libvirt_domain_info_vstate (5: shut off). */
        LIBVIRT_STATE
    }

    /** Why a series' samples were not used. */
    public enum Ignored {
        /** A metric (or a CPU mode) the mapping does not use. */
        NOT_MAPPED,
        /** A mapped metric without the VM label. */
        NO_VM_LABEL,
        /** The VM, system or unit label longer than SampleValidator.MAX_ID_LENGTH. */
        ID_TOO_LONG,
        /** A file system of an excluded type or mount point. */
        EXCLUDED_FILESYSTEM,
        /**
         * NaN: a staleness marker (the series went away) or a value the exporter could not read.
         */
        STALE_OR_NAN,
        /** A negative timestamp or value. */
        OUT_OF_RANGE;

        /** The label value on /metrics. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The default file system types that are not a VM's storage: memory-backed (tmpfs, ramfs),
     * container layers and images (overlay, squashfs, iso9660), network shares (nfs, cifs), FUSE
     * and kernel pseudo file systems.
     */
    public static final String DEFAULT_FS_TYPES_EXCLUDE =
            "^(tmpfs|devtmpfs|ramfs|overlay|squashfs|iso9660|nfs4?|cifs|smb3|autofs|fuse\\..*"
                    + "|proc|sysfs|cgroup2?|devpts|mqueue|tracefs|debugfs|securityfs|pstore|bpf"
                    + "|efivarfs|configfs|binfmt_misc|hugetlbfs|nsfs|rpc_pipefs)$";

    /**
     * The default mount points that are not a VM's storage: kernel, runtime and container trees.
     */
    public static final String DEFAULT_MOUNT_POINTS_EXCLUDE =
            "^/(dev|proc|sys|run|var/lib/docker/.+|var/lib/containers/.+|var/lib/kubelet/.+"
                    + "|snap/.+)($|/)";

    public record Settings(
            String vmLabel,
            String systemLabel,
            String unitLabel,
            Pattern fsTypesExclude,
            Pattern mountPointsExclude) {
        public static Settings defaults() {
            return new Settings(
                    "vm_id",
                    "system_id",
                    "unit_id",
                    Pattern.compile(DEFAULT_FS_TYPES_EXCLUDE),
                    Pattern.compile(DEFAULT_MOUNT_POINTS_EXCLUDE));
        }
    }

    /** One mapped value of one VM at one scrape's timestamp. */
    public record Mapped(
            String vmId,
            String systemId,
            String unitId,
            Kind kind,
            String instance,
            long timestamp,
            double value) {}

    /** What one series gives: a kind to map its points to, or why it is ignored. */
    public record Verdict(Kind kind, String instance, Ignored ignored) {
        static Verdict ignore(Ignored why) {
            return new Verdict(null, "", why);
        }
    }

    private static final Map<String, Kind> SIMPLE =
            Map.of(
                    "node_memory_MemTotal_bytes", Kind.MEM_TOTAL,
                    "node_memory_MemAvailable_bytes", Kind.MEM_AVAILABLE,
                    "libvirt_domain_info_maximum_memory_bytes", Kind.LIBVIRT_MAX_MEMORY,
                    "libvirt_domain_memory_stats_available_bytes", Kind.LIBVIRT_GUEST_AVAILABLE,
                    "libvirt_domain_memory_stats_usable_bytes", Kind.LIBVIRT_GUEST_USABLE,
                    "libvirt_domain_info_vstate", Kind.LIBVIRT_STATE);

    /** Every metric name the mapping uses (node_cpu_seconds_total only with mode="idle"). */
    public static final Set<String> METRICS =
            Set.copyOf(
                    Stream.concat(
                                    SIMPLE.keySet().stream(),
                                    Stream.of(
                                            "node_filesystem_size_bytes",
                                            "node_filesystem_avail_bytes",
                                            "node_cpu_seconds_total"))
                            .toList());

    private final Settings settings;

    public PromMapping(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** What the series is, regardless of its points. */
    public Verdict classify(RemoteWrite.Series s) {
        String name = s.name();
        Kind kind = SIMPLE.get(name);
        String instance = "";
        if (kind == null) {
            switch (name) {
                case "node_filesystem_size_bytes", "node_filesystem_avail_bytes" -> {
                    String fsType = s.labels().getOrDefault("fstype", "");
                    String mount = s.labels().getOrDefault("mountpoint", "");
                    if (settings.fsTypesExclude().matcher(fsType).matches()
                            || settings.mountPointsExclude().matcher(mount).find()) {
                        return Verdict.ignore(Ignored.EXCLUDED_FILESYSTEM);
                    }
                    kind = name.endsWith("size_bytes") ? Kind.FS_SIZE : Kind.FS_AVAIL;
                    // One file system mounted twice (a bind mount) counts once.
                    String device = s.labels().get("device");
                    instance = device == null || device.isEmpty() ? mount : device;
                }
                case "node_cpu_seconds_total" -> {
                    if (!"idle".equals(s.label("mode"))) {
                        return Verdict.ignore(Ignored.NOT_MAPPED);
                    }
                    kind = Kind.CPU_IDLE_SECONDS;
                    instance = s.labels().getOrDefault("cpu", "");
                }
                default -> {
                    return Verdict.ignore(Ignored.NOT_MAPPED);
                }
            }
        }
        String vm = s.label(settings.vmLabel());
        if (vm == null || vm.isBlank()) {
            return Verdict.ignore(Ignored.NO_VM_LABEL);
        }
        if (tooLong(vm)
                || tooLong(s.label(settings.systemLabel()))
                || tooLong(s.label(settings.unitLabel()))) {
            return Verdict.ignore(Ignored.ID_TOO_LONG);
        }
        return new Verdict(kind, instance, null);
    }

    /** One point of a classified series, or null with {@code why[0]} set. */
    public Mapped map(RemoteWrite.Series s, Verdict v, RemoteWrite.Point p, Ignored[] why) {
        if (Double.isNaN(p.value())) {
            why[0] = Ignored.STALE_OR_NAN;
            return null;
        }
        if (p.timestamp() < 0 || p.value() < 0 || Double.isInfinite(p.value())) {
            why[0] = Ignored.OUT_OF_RANGE;
            return null;
        }
        String system = s.label(settings.systemLabel());
        String unit = s.label(settings.unitLabel());
        return new Mapped(
                s.label(settings.vmLabel()),
                system == null || system.isBlank() ? null : system,
                unit == null || unit.isBlank() ? null : unit,
                v.kind(),
                v.instance(),
                p.timestamp(),
                p.value());
    }

    private static boolean tooLong(String id) {
        return SampleValidator.checkIdLength("id", id) != null;
    }
}
