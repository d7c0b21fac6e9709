package io.rightsizer.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.rightsizer.ingest.prometheus.PromMapping.Ignored;
import io.rightsizer.ingest.prometheus.PromMapping.Kind;
import io.rightsizer.ingest.prometheus.PromMapping.Mapped;
import io.rightsizer.ingest.prometheus.PromMapping.Verdict;
import io.rightsizer.ingest.prometheus.RemoteWrite.Point;
import io.rightsizer.ingest.prometheus.RemoteWrite.Series;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PromMappingTest {
    static final long T0 = 1_796_362_210_000L;
    static final PromMapping NODE = new PromMapping(PromMapping.Settings.defaults());

    static Series series(String name, String... labels) {
        Map<String, String> m = new HashMap<>();
        m.put("__name__", name);
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return new Series(m, List.of(new Point(T0, 1)));
    }

    static Series vm(String name, String... labels) {
        String[] all = new String[labels.length + 6];
        all[0] = "vm_id";
        all[1] = "vm-1";
        all[2] = "system_id";
        all[3] = "sys-a";
        all[4] = "unit_id";
        all[5] = "unit-x";
        System.arraycopy(labels, 0, all, 6, labels.length);
        return series(name, all);
    }

    @Test
    void nodeExporterMemoryAndCpuIdleAreMapped() {
        assertThat(NODE.classify(vm("node_memory_MemTotal_bytes")))
                .isEqualTo(new Verdict(Kind.MEM_TOTAL, "", null));
        assertThat(NODE.classify(vm("node_memory_MemAvailable_bytes")))
                .isEqualTo(new Verdict(Kind.MEM_AVAILABLE, "", null));
        assertThat(NODE.classify(vm("node_cpu_seconds_total", "cpu", "3", "mode", "idle")))
                .isEqualTo(new Verdict(Kind.CPU_IDLE_SECONDS, "3", null));
        assertThat(NODE.classify(vm("node_cpu_seconds_total", "cpu", "3", "mode", "user")))
                .isEqualTo(Verdict.ignore(Ignored.NOT_MAPPED));
    }

    @Test
    void aFileSystemIsNamedByItsDeviceSoABindMountCountsOnce() {
        String[] root = {"device", "/dev/vda1", "fstype", "ext4", "mountpoint", "/"};
        String[] bind = {"device", "/dev/vda1", "fstype", "ext4", "mountpoint", "/srv/data"};
        assertThat(NODE.classify(vm("node_filesystem_size_bytes", root)))
                .isEqualTo(new Verdict(Kind.FS_SIZE, "/dev/vda1", null));
        assertThat(NODE.classify(vm("node_filesystem_avail_bytes", bind)))
                .isEqualTo(new Verdict(Kind.FS_AVAIL, "/dev/vda1", null));
        assertThat(
                        NODE.classify(
                                vm(
                                        "node_filesystem_size_bytes",
                                        "fstype",
                                        "xfs",
                                        "mountpoint",
                                        "/data")))
                .isEqualTo(new Verdict(Kind.FS_SIZE, "/data", null));
    }

    @Test
    void memoryAndPseudoFileSystemsAndRuntimeMountPointsAreExcluded() {
        for (String[] fs :
                List.of(
                        new String[] {"fstype", "tmpfs", "mountpoint", "/tmp"},
                        new String[] {"fstype", "overlay", "mountpoint", "/"},
                        new String[] {"fstype", "squashfs", "mountpoint", "/snap/core/1"},
                        new String[] {"fstype", "nfs4", "mountpoint", "/home"},
                        new String[] {"fstype", "fuse.sshfs", "mountpoint", "/mnt/x"},
                        new String[] {"fstype", "ext4", "mountpoint", "/run/media/usb"},
                        new String[] {
                            "fstype", "ext4", "mountpoint", "/var/lib/docker/volumes/v"
                        })) {
            assertThat(NODE.classify(vm("node_filesystem_size_bytes", fs)))
                    .as(String.join(" ", fs))
                    .isEqualTo(Verdict.ignore(Ignored.EXCLUDED_FILESYSTEM));
        }
        assertThat(
                        NODE.classify(
                                        vm(
                                                "node_filesystem_size_bytes",
                                                "fstype",
                                                "vfat",
                                                "mountpoint",
                                                "/boot/efi"))
                                .kind())
                .isEqualTo(Kind.FS_SIZE);
        assertThat(
                        NODE.classify(
                                        vm(
                                                "node_filesystem_size_bytes",
                                                "fstype",
                                                "ext4",
                                                "mountpoint",
                                                "/runner"))
                                .kind())
                .as("/run excludes /run and below, not /runner")
                .isEqualTo(Kind.FS_SIZE);
    }

    @Test
    void theExclusionsAreConfigurable() {
        PromMapping onlyXfs =
                new PromMapping(
                        new PromMapping.Settings(
                                "vm_id",
                                "system_id",
                                "unit_id",
                                Pattern.compile("(?!xfs$).*"),
                                Pattern.compile("^/scratch")));
        assertThat(
                        onlyXfs.classify(
                                        vm(
                                                "node_filesystem_size_bytes",
                                                "fstype",
                                                "ext4",
                                                "mountpoint",
                                                "/"))
                                .ignored())
                .isEqualTo(Ignored.EXCLUDED_FILESYSTEM);
        assertThat(
                        onlyXfs.classify(
                                        vm(
                                                "node_filesystem_size_bytes",
                                                "fstype",
                                                "xfs",
                                                "mountpoint",
                                                "/scratch"))
                                .ignored())
                .isEqualTo(Ignored.EXCLUDED_FILESYSTEM);
        assertThat(
                        onlyXfs.classify(
                                        vm(
                                                "node_filesystem_size_bytes",
                                                "fstype",
                                                "xfs",
                                                "mountpoint",
                                                "/data"))
                                .kind())
                .isEqualTo(Kind.FS_SIZE);
    }

    @Test
    void theLibvirtExportersDomainMemoryAndStateAreMappedWithTheDomainLabel() {
        PromMapping libvirt =
                new PromMapping(
                        new PromMapping.Settings(
                                "domain",
                                "system_id",
                                "unit_id",
                                Pattern.compile(PromMapping.DEFAULT_FS_TYPES_EXCLUDE),
                                Pattern.compile(PromMapping.DEFAULT_MOUNT_POINTS_EXCLUDE)));
        assertThat(
                        libvirt.classify(
                                series(
                                        "libvirt_domain_info_maximum_memory_bytes",
                                        "domain",
                                        "instance-0001")))
                .isEqualTo(new Verdict(Kind.LIBVIRT_MAX_MEMORY, "", null));
        assertThat(
                        libvirt.classify(
                                        series(
                                                "libvirt_domain_memory_stats_available_bytes",
                                                "domain",
                                                "d"))
                                .kind())
                .isEqualTo(Kind.LIBVIRT_GUEST_AVAILABLE);
        assertThat(
                        libvirt.classify(
                                        series(
                                                "libvirt_domain_memory_stats_usable_bytes",
                                                "domain",
                                                "d"))
                                .kind())
                .isEqualTo(Kind.LIBVIRT_GUEST_USABLE);
        assertThat(libvirt.classify(series("libvirt_domain_info_vstate", "domain", "d")).kind())
                .isEqualTo(Kind.LIBVIRT_STATE);
        assertThat(
                        libvirt.classify(
                                series("libvirt_domain_info_memory_usage_bytes", "domain", "d")))
                .as("the domain's current allocation, not what the guest uses")
                .isEqualTo(Verdict.ignore(Ignored.NOT_MAPPED));
    }

    @Test
    void aMappedMetricWithoutTheVmLabelOrWithAnOverlongIdIsIgnored() {
        assertThat(NODE.classify(series("node_memory_MemTotal_bytes", "instance", "h:9100")))
                .isEqualTo(Verdict.ignore(Ignored.NO_VM_LABEL));
        assertThat(NODE.classify(series("node_memory_MemTotal_bytes", "vm_id", "")))
                .isEqualTo(Verdict.ignore(Ignored.NO_VM_LABEL));
        assertThat(
                        NODE.classify(vm("node_memory_MemTotal_bytes", "vm_id", "v".repeat(257)))
                                .ignored())
                .isEqualTo(Ignored.ID_TOO_LONG);
        assertThat(
                        NODE.classify(
                                        series(
                                                "node_memory_MemTotal_bytes",
                                                "vm_id",
                                                "v",
                                                "system_id",
                                                "s".repeat(257)))
                                .ignored())
                .isEqualTo(Ignored.ID_TOO_LONG);
        assertThat(
                        NODE.classify(
                                        series(
                                                "node_memory_MemTotal_bytes",
                                                "vm_id",
                                                "v".repeat(256)))
                                .kind())
                .isEqualTo(Kind.MEM_TOTAL);
    }

    @Test
    void aPointBecomesAMappedValueWithItsVmSystemAndUnit() {
        Series s = vm("node_memory_MemTotal_bytes");
        Ignored[] why = new Ignored[1];
        assertThat(NODE.map(s, NODE.classify(s), new Point(T0, 8.0e9), why))
                .isEqualTo(new Mapped("vm-1", "sys-a", "unit-x", Kind.MEM_TOTAL, "", T0, 8.0e9));
        Series noUnit = series("node_memory_MemTotal_bytes", "vm_id", "vm-2", "unit_id", "");
        assertThat(NODE.map(noUnit, NODE.classify(noUnit), new Point(T0, 1), why))
                .isEqualTo(new Mapped("vm-2", null, null, Kind.MEM_TOTAL, "", T0, 1));
    }

    @Test
    void staleMarkersNegativeValuesAndTimestampsAreIgnored() {
        Series s = vm("node_memory_MemTotal_bytes");
        Verdict v = NODE.classify(s);
        Ignored[] why = new Ignored[1];
        double stale = Double.longBitsToDouble(0x7ff0000000000002L);
        assertThat(NODE.map(s, v, new Point(T0, stale), why)).isNull();
        assertThat(why[0]).isEqualTo(Ignored.STALE_OR_NAN);
        assertThat(NODE.map(s, v, new Point(T0, -1), why)).isNull();
        assertThat(why[0]).isEqualTo(Ignored.OUT_OF_RANGE);
        assertThat(NODE.map(s, v, new Point(-1, 1), why)).isNull();
        assertThat(why[0]).isEqualTo(Ignored.OUT_OF_RANGE);
        assertThat(NODE.map(s, v, new Point(T0, Double.POSITIVE_INFINITY), why)).isNull();
        assertThat(why[0]).isEqualTo(Ignored.OUT_OF_RANGE);
    }

    @Test
    void everythingElseIsNotMapped() {
        assertThat(NODE.classify(vm("node_load1"))).isEqualTo(Verdict.ignore(Ignored.NOT_MAPPED));
        assertThat(NODE.classify(vm("up"))).isEqualTo(Verdict.ignore(Ignored.NOT_MAPPED));
        assertThat(NODE.classify(new Series(Map.of("vm_id", "v"), List.of())))
                .isEqualTo(Verdict.ignore(Ignored.NOT_MAPPED));
    }
}
