package io.rightsizer.model;

import io.rightsizer.schema.VmAllocation;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * {@link VmInput}'s type, chosen by Flink's type extraction through the {@code @TypeInfo} on the
 * class, wherever a stream of VmInput appears: its serializer is {@link VmInputSerializer}.
 */
public final class VmInputTypeInfo extends TypeInformation<VmInput> {
    private static final long serialVersionUID = 1L;

    /** Named by VmInput's {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<VmInput> {
        @Override
        public TypeInformation<VmInput> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new VmInputTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<VmInput> getTypeClass() {
        return VmInput.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<VmInput> createSerializer(SerializerConfig config) {
        return new VmInputSerializer(
                TypeInformation.of(VmAllocation.class).createSerializer(config),
                TypeInformation.of(Rejected.class).createSerializer(config));
    }

    @Override
    public String toString() {
        return "VmInput";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VmInputTypeInfo;
    }

    @Override
    public int hashCode() {
        return VmInputTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof VmInputTypeInfo;
    }
}
