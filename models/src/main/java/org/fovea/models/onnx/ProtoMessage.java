package org.fovea.models.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A protobuf message as its list of fields, in wire order, for rewriting a message without its
 * schema: fields nobody touches are written back byte for byte.
 */
final class ProtoMessage {

  /**
   * One field.
   *
   * @param number the field number
   * @param wire the wire type
   * @param value the value of a varint or fixed-width field
   * @param bytes the payload of a length-delimited field, else null
   */
  record Field(int number, int wire, long value, byte[] bytes) {
    /** @return the payload as a UTF-8 string */
    String string() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return the payload as a message */
    ProtoMessage message() {
      return ProtoMessage.parse(bytes);
    }
  }

  final List<Field> fields;

  ProtoMessage(List<Field> fields) {
    this.fields = new ArrayList<>(fields);
  }

  ProtoMessage() {
    this(List.of());
  }

  /**
   * @param bytes a message's bytes
   * @return its fields
   * @throws ProtoReader.Corrupt when the bytes are not protobuf
   */
  static ProtoMessage parse(byte[] bytes) {
    ProtoReader r = new ProtoReader(bytes);
    List<Field> f = new ArrayList<>();
    while (r.next()) {
      int n = r.field();
      switch (r.wireType()) {
        case ProtoReader.VARINT -> f.add(new Field(n, ProtoReader.VARINT, r.varint(), null));
        case ProtoReader.FIXED64 -> f.add(new Field(n, ProtoReader.FIXED64, r.fixed64(), null));
        case ProtoReader.FIXED32 -> f.add(new Field(n, ProtoReader.FIXED32, r.fixed32(), null));
        case ProtoReader.LEN -> f.add(new Field(n, ProtoReader.LEN, 0, r.bytes()));
        default -> throw new ProtoReader.Corrupt("unsupported wire type " + r.wireType()
            + " of field " + n);
      }
    }
    return new ProtoMessage(f);
  }

  /** @return the first field with that number, or null */
  Field first(int number) {
    for (Field f : fields) {
      if (f.number == number) {
        return f;
      }
    }
    return null;
  }

  /** @return the first string field with that number, or the fallback */
  String string(int number, String fallback) {
    Field f = first(number);
    return f == null ? fallback : f.string();
  }

  /** @return every field with that number */
  List<Field> all(int number) {
    return fields.stream().filter(f -> f.number == number).toList();
  }

  /** @return every string field with that number */
  List<String> strings(int number) {
    return all(number).stream().map(Field::string).toList();
  }

  /**
   * @return the int64 values of a repeated field, packed or not
   */
  long[] longs(int number) {
    List<Long> v = new ArrayList<>();
    for (Field f : all(number)) {
      if (f.wire == ProtoReader.LEN) {
        ProtoReader r = new ProtoReader(f.bytes);
        while (r.more()) {
          v.add(r.varint());
        }
      } else {
        v.add(f.value);
      }
    }
    return v.stream().mapToLong(Long::longValue).toArray();
  }

  ProtoMessage remove(Predicate<Field> which) {
    fields.removeIf(which);
    return this;
  }

  ProtoMessage varint(int number, long v) {
    fields.add(new Field(number, ProtoReader.VARINT, v, null));
    return this;
  }

  ProtoMessage addString(int number, String s) {
    fields.add(new Field(number, ProtoReader.LEN, 0, s.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  ProtoMessage bytes(int number, byte[] b) {
    fields.add(new Field(number, ProtoReader.LEN, 0, b));
    return this;
  }

  ProtoMessage message(int number, ProtoMessage m) {
    return bytes(number, m.encode());
  }

  /** @return the message's bytes */
  byte[] encode() {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (Field f : fields) {
      raw(o, ((long) f.number << 3) | f.wire);
      switch (f.wire) {
        case ProtoReader.VARINT -> raw(o, f.value);
        case ProtoReader.FIXED64 -> {
          for (int i = 0; i < 8; i++) {
            o.write((int) (f.value >>> (8 * i)) & 0xff);
          }
        }
        case ProtoReader.FIXED32 -> {
          for (int i = 0; i < 4; i++) {
            o.write((int) (f.value >>> (8 * i)) & 0xff);
          }
        }
        default -> {
          raw(o, f.bytes.length);
          o.writeBytes(f.bytes);
        }
      }
    }
    return o.toByteArray();
  }

  private static void raw(ByteArrayOutputStream o, long v) {
    while ((v & ~0x7fL) != 0) {
      o.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }
}
