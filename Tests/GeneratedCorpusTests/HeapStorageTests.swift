import FerryCodec
import Testing

/// Messages with many fields keep them in a copy-on-write class; they must still behave as values.
@Suite struct HeapStorageTests {
    @Test("a copy of a class-backed message is independent of the original, in both directions")
    func copiesAreIndependent() throws {
        var original = ProtobufUnittest_TestAllTypes()
        original.optionalInt32 = 1
        original.repeatedString = ["a"]
        var copy = original
        copy.optionalInt32 = 2
        copy.repeatedString.append("b")
        #expect(original.optionalInt32 == 1 && original.repeatedString == ["a"])
        #expect(copy.optionalInt32 == 2 && copy.repeatedString == ["a", "b"])
        let snapshot = original
        try original.merge(serializedBytes: copy.serializedBytes())
        #expect(snapshot.optionalInt32 == 1 && snapshot.repeatedString == ["a"])
        #expect(original.repeatedString == ["a", "a", "b"])
    }

    @Test("repeated group occurrences append; a oneof message member read twice merges (runtime helpers)")
    func repeatedGroupsAndOneofMerge() throws {
        // repeatedgroup (46) twice, each with `a` (47): start tag F3 02, a = 1 / 2, end tag F4 02.
        let groups: [UInt8] = [0xF3, 0x02, 0xF8, 0x02, 0x01, 0xF4, 0x02, 0xF3, 0x02, 0xF8, 0x02, 0x02, 0xF4, 0x02]
        let decoded = try ProtobufUnittest_TestAllTypes(serializedBytes: groups)
        #expect(decoded.repeatedgroup.map(\.a) == [1, 2])
        #expect(decoded.serializedBytes() == groups)
        // oneof_nested_message (112, tag 82 07) twice: bb = 1, then only an unknown field 3. Merging
        // keeps bb; replacing would lose it.
        let oneof: [UInt8] = [0x82, 0x07, 0x02, 0x08, 0x01, 0x82, 0x07, 0x02, 0x18, 0x05]
        let merged = try ProtobufUnittest_TestAllTypes(serializedBytes: oneof)
        guard case .oneofNestedMessage(let nested)? = merged.oneofField else {
            Issue.record("oneof holds \(String(describing: merged.oneofField))")
            return
        }
        #expect(nested.bb == 1)
        #expect(nested.serializedBytes() == [0x08, 0x01, 0x18, 0x05])
    }

    @Test("equality and hashing of class-backed messages follow their contents, not their storage")
    func equalityFollowsContents() throws {
        var a = ProtobufTestMessages_Proto3_TestAllTypesProto3()
        a.optionalString = "x"
        a.mapStringString = ["k": "v", "j": "w"]
        var nested = ProtobufTestMessages_Proto3_TestAllTypesProto3()
        nested.optionalInt64 = -5
        a.recursiveMessage = nested
        let decoded = try ProtobufTestMessages_Proto3_TestAllTypesProto3(serializedBytes: a.serializedBytes())
        #expect(decoded == a)
        #expect(Set([a, decoded]).count == 1)
        var different = decoded
        different.recursiveMessage?.optionalInt64 = 6
        #expect(different != a)
        #expect(a.recursiveMessage?.optionalInt64 == -5)
        #expect(ProtobufTestMessages_Proto3_TestAllTypesProto3() == ProtobufTestMessages_Proto3_TestAllTypesProto3())
    }

    @Test("class-backed messages compare floating-point fields as Swift does, like inline messages")
    func floatingPointEquality() {
        var zero = ProtobufTestMessages_Proto3_TestAllTypesProto3()
        zero.optionalDouble = 0.0
        var negativeZero = zero
        negativeZero.optionalDouble = -0.0
        #expect(zero == negativeZero)
        var nan = zero
        nan.optionalDouble = .nan
        var otherNaN = zero
        otherNaN.optionalDouble = .nan
        #expect(nan != otherNaN)
    }
}
