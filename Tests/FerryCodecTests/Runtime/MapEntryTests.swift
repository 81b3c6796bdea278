import FerryCodec
import Testing

/// How one map entry on the wire becomes a key and a value: an entry is a small message of its
/// own (key = 1, value = 2), read with a message's rules.
@Suite struct MapEntryTests {
    @Test("a key with another wire type is skipped like an unknown field: the entry keeps the default key")
    func keyWithWrongWireType() throws {
        let bytes = WireBytes.build { w in
            w.field(5, message: WireBytes(bytes: WireBytes.build { e in
                e.field(1, varint: 7)          // the key is a string: varint is not its wire type
                e.field(2, varint: 3)
            }))
        }
        #expect(try Probe(serializedBytes: bytes).labels == ["": 3])
    }

    @Test("a value with another wire type is skipped: the entry keeps the default value")
    func valueWithWrongWireType() throws {
        let bytes = WireBytes.build { w in
            w.field(5, message: WireBytes(bytes: WireBytes.build { e in
                e.field(1, string: "a")
                e.tag(2, .fixed32)             // the value is an int32: fixed32 is not its wire type
                e.bytes += [1, 0, 0, 0]
                e.field(2, bytes: [9])         // nor is length-delimited
            }))
        }
        #expect(try Probe(serializedBytes: bytes).labels == ["a": 0])
    }

    @Test("a malformed field inside an entry is still an error")
    func malformedInsideEntry() {
        let bytes = WireBytes.build { w in
            w.field(5, bytes: [0x0A, 0x05, 0x61])    // key: 5 bytes announced, 1 present
        }
        #expect(throws: DecodingError.self) { try Probe(serializedBytes: bytes) }
    }
}
