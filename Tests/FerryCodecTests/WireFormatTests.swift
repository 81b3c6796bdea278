import FerryCodec
import Testing

@Suite struct WireFormatTests {
    @Test(
        "varint sizes match the number of 7-bit groups",
        arguments: [
            (UInt64(0), 1), (127, 1), (128, 2), (16383, 2), (16384, 3), (UInt64(UInt32.max), 5), (UInt64.max, 10),
        ]
    )
    func varintSizes(value: UInt64, size: Int) {
        #expect(WireWriter.varintSize(value) == size)
        var w = WireWriter(initialCapacity: 1)
        w.writeVarint(value)
        #expect(w.count == size)
    }

    @Test("negative int32 is a ten-byte varint, sign-extended")
    func negativeInt32() throws {
        var probe = Probe()
        probe.number = -1
        let bytes = probe.serializedBytes()
        #expect(bytes == [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(try Probe(serializedBytes: bytes).number == -1)
    }

    @Test(
        "zigzag encodes small magnitudes in one byte",
        arguments: [
            (Int64(0), [UInt8(0)]), (Int64(-1), [UInt8(1)]), (Int64(1), [UInt8(2)]), (Int64(-64), [UInt8(127)]),
            (Int64.min, [UInt8](repeating: 0xFF, count: 9) + [0x01]),
        ] as [(Int64, [UInt8])]
    )
    func zigzag(value: Int64, encoded: [UInt8]) throws {
        var probe = Probe()
        probe.signed = value
        let bytes = probe.serializedBytes()
        #expect(value == 0 ? bytes.isEmpty : bytes == [0x40] + encoded)
        #expect(try Probe(serializedBytes: bytes).signed == value)
    }

    @Test("every field kind survives a round trip, fields in number order")
    func roundTrip() throws {
        var probe = Probe()
        probe.number = 150
        probe.text = "héllo, 世界 🚚"
        probe.values = [1, -1, Int64.max, Int64.min, 0]
        var child = Probe()
        child.text = "child"
        var grandchild = Probe()
        grandchild.number = 7
        child.child = grandchild
        probe.child = child
        probe.labels = ["b": 2, "a": 1, "": 0, "é": -5]
        var group = Probe.Group()
        group.a = 42
        probe.group = group
        probe.color = .green
        probe.signed = -12345
        probe.ratio = .nan
        let bytes = probe.serializedBytes()
        let decoded = try Probe(serializedBytes: bytes)
        #expect(decoded.number == 150)
        #expect(decoded.text == probe.text)
        #expect(decoded.values == probe.values)
        #expect(decoded.child?.child?.number == 7)
        #expect(decoded.labels == probe.labels)
        #expect(decoded.group?.a == 42)
        #expect(decoded.color == .green)
        #expect(decoded.signed == -12345)
        #expect(decoded.ratio.isNaN)
        #expect(decoded.serializedBytes() == bytes)
        #expect(bytes.prefix(3) == [0x08, 0x96, 0x01])
    }

    @Test("map entries are written sorted by key bytes, so equal maps give equal bytes")
    func deterministicMaps() {
        var probe = Probe()
        probe.labels = ["zeta": 1, "alpha": 2, "Beta": 3, "é": 4]
        let expected = WireBytes.build { w in
            for (key, value) in [("Beta", 3), ("alpha", 2), ("zeta", 1), ("é", 4)] {
                w.field(
                    5,
                    message: WireBytes(
                        bytes: WireBytes.build { e in
                            e.field(1, string: key)
                            e.field(2, varint: UInt64(value))
                        }
                    )
                )
            }
        }
        #expect(probe.serializedBytes() == expected)
    }

    @Test(
        "map order holds for one entry, for many (past any stack buffer), for keys that are prefixes of others, and for signed integer keys"
    )
    func mapOrderAtEverySize() {
        func entries(_ pairs: [(String, Int32)]) -> [UInt8] {
            WireBytes.build { w in
                for (key, value) in pairs {
                    let entry = WireBytes.build { e in
                        e.field(1, string: key)
                        e.field(2, varint: UInt64(bitPattern: Int64(value)))
                    }
                    w.field(5, message: WireBytes(bytes: entry))
                }
            }
        }
        var probe = Probe()
        probe.labels = ["only": 1]
        #expect(probe.serializedBytes() == entries([("only", 1)]))

        // Keys compared as UTF-8 bytes: "" first, a prefix before its extensions, and a
        // character past U+007F (two bytes from 0xC3) after every ASCII key.
        var labels: [String: Int32] = ["": -1, "a": 1, "ab": 2, "abc": 3, "b": 4, "é": 5, "éa": 6]
        for n in 0..<600 { labels["k\(n)"] = Int32(n) }
        probe.labels = labels
        let byBytes = labels.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        #expect(probe.serializedBytes() == entries(byBytes.map { ($0.key, $0.value) }))

        // Signed keys sort by value, negatives first (not by their varint bytes).
        var map = ProbeMap()
        for key: Int32 in [7, -3, 0, Int32.min, 300, -200, Int32.max] { map.entries[key] = Probe() }
        let expected = WireBytes.build { w in
            for key: Int32 in [Int32.min, -200, -3, 0, 7, 300, Int32.max] {
                let entry = WireBytes.build { e in
                    e.field(1, varint: UInt64(bitPattern: Int64(key)))
                    e.field(2, message: WireBytes(bytes: []))
                }
                w.field(1, message: WireBytes(bytes: entry))
            }
        }
        #expect(map.serializedBytes() == expected)
    }

    @Test("packed and unpacked encodings of a repeated field are both accepted and concatenate")
    func packedAndUnpacked() throws {
        let bytes = WireBytes.build { w in
            w.field(3, varint: 5)
            w.field(3, bytes: [1, 2, 0x7F])
            w.field(3, varint: 6)
        }
        #expect(try Probe(serializedBytes: bytes).values == [5, 1, 2, 127, 6])
    }

    @Test("scalars: last one wins; messages: repeated occurrences merge")
    func mergeRules() throws {
        let bytes = WireBytes.build { w in
            w.field(1, varint: 1)
            w.field(4, message: WireBytes(bytes: WireBytes.build { $0.field(1, varint: 9) }))
            w.field(1, varint: 2)
            w.field(4, message: WireBytes(bytes: WireBytes.build { $0.field(2, string: "x") }))
        }
        let probe = try Probe(serializedBytes: bytes)
        #expect(probe.number == 2)
        #expect(probe.child?.number == 9)
        #expect(probe.child?.text == "x")
    }

    @Test("unknown fields of every wire type are kept byte for byte and re-emitted")
    func unknownFields() throws {
        let unknown = WireBytes.build { w in
            w.field(100, varint: 300)
            w.tag(101, .fixed32)
            w.bytes += [1, 2, 3, 4]
            w.tag(102, .fixed64)
            w.bytes += [1, 2, 3, 4, 5, 6, 7, 8]
            w.field(103, string: "kept")
            w.tag(104, .startGroup)
            w.field(1, varint: 1)
            w.tag(104, .endGroup)
        }
        let known = WireBytes.build { $0.field(1, varint: 3) }
        let probe = try Probe(serializedBytes: unknown + known)
        #expect(probe.unknownFields.bytes == unknown)
        #expect(probe.serializedBytes() == known + unknown)

        let dropped = try Probe(serializedBytes: unknown + known, options: DecodingOptions(discardUnknownFields: true))
        #expect(dropped.unknownFields.isEmpty)
    }

    @Test("a closed enum's unknown number goes to unknown fields, not the field")
    func closedEnumUnknownValue() throws {
        let bytes = WireBytes.build { $0.field(7, varint: 99) }
        let probe = try Probe(serializedBytes: bytes)
        #expect(probe.color == nil)
        #expect(probe.unknownFields.bytes == bytes)
        #expect(probe.serializedBytes() == bytes)
    }

    @Test("copies of a message with a boxed field are independent")
    func boxCopyOnWrite() {
        var a = Probe()
        a.child = Probe()
        a.child?.number = 1
        var b = a
        b.child?.number = 2
        #expect(a.child?.number == 1)
        #expect(b.child?.number == 2)
        #expect(a != b)
    }

    @Test("the writer grows from a tiny buffer without losing bytes")
    func writerGrowth() throws {
        var probe = Probe()
        probe.text = String(repeating: "x", count: 10_000)
        probe.values = Array(0..<5_000)
        let bytes = probe.serializedBytes()
        #expect(try Probe(serializedBytes: bytes) == probe)
    }
}
