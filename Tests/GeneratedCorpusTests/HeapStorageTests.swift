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
