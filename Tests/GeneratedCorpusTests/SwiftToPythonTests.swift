import FerryCodec
import Testing

/// Messages built field by field in Swift must decode in python protobuf to the values that
/// oracle.py's recipe of the same name builds.
@Suite struct SwiftToPythonTests {
    typealias P3 = ProtobufTestMessages_Proto3_TestAllTypesProto3
    typealias P2 = ProtobufTestMessages_Proto2_TestAllTypesProto2

    static func benchOrder() -> Benchpb_OrderPlaced {
        var order = Benchpb_OrderPlaced()
        order.orderId = "ord-é✓"
        order.customerId = ""
        order.totalCents = .min
        order.placedAtUnixMicros = 1_700_000_000_000_000
        var item = Benchpb_LineItem()
        item.sku = "SKU-1"
        item.qty = -3
        item.priceCents = 999
        order.items = [item, Benchpb_LineItem()]
        order.attributes = ["z": "last", "a": "", "é": "accent"]
        order.status = .paid
        order.couponCode = ""
        var card = Benchpb_CardPayment()
        card.network = "visa"
        card.expMonth = 12
        order.payment = .card(card)
        order.currency = "EUR"
        return order
    }

    static func proto3Edges() -> P3 {
        var m = P3()
        m.optionalInt32 = .min
        m.optionalInt64 = .max
        m.optionalUint32 = .max
        m.optionalUint64 = .max
        m.optionalSint32 = -1
        m.optionalSint64 = .min
        m.optionalFixed32 = 7
        m.optionalFixed64 = .max
        m.optionalSfixed32 = -7
        m.optionalSfixed64 = -8
        m.optionalFloat = -0.0
        m.optionalDouble = .infinity
        m.optionalBool = true
        m.optionalString = "日本語 🚀"
        m.optionalBytes = [0x00, 0xFF]
        var nested = P3.NestedMessage()
        nested.a = 5
        var corecursive = P3()
        corecursive.optionalInt32 = 6
        nested.corecursive = corecursive
        m.optionalNestedMessage = nested
        m.optionalNestedEnum = .neg
        m.optionalForeignEnum = ProtobufTestMessages_Proto3_ForeignEnum(rawValue: 99)
        var deep = P3()
        deep.optionalString = "deep"
        var middle = P3()
        middle.recursiveMessage = deep
        m.recursiveMessage = middle
        m.repeatedInt32 = [1, -1, 0]
        m.packedSint64 = [-2, 2]
        m.unpackedDouble = [1.5, -0.0]
        m.repeatedString = ["", "x"]
        var element = P3.NestedMessage()
        element.a = 1
        m.repeatedNestedMessage = [element]
        m.mapInt32Int32 = [-5: 5, 3: -3]
        m.mapBoolBool = [true: false]
        var mapped = P3.NestedMessage()
        mapped.a = 9
        m.mapStringNestedMessage = ["k": mapped]
        m.mapStringForeignEnum = ["e": .foreignBaz]
        var inOneof = P3.NestedMessage()
        inOneof.a = 77
        m.oneofField = .oneofNestedMessage(inOneof)
        var wrapper = Google_Protobuf_Int32Value()
        wrapper.value = 0
        m.optionalInt32Wrapper = wrapper
        var timestamp = Google_Protobuf_Timestamp()
        timestamp.seconds = 1
        timestamp.nanos = 2
        m.optionalTimestamp = timestamp
        return m
    }

    static func proto2Presence() -> P2 {
        var m = P2()
        m.optionalInt32 = 0
        m.optionalString = ""
        m.optionalBool = false
        m.optionalNestedEnum = .foo
        var group = P2.Data()
        group.groupInt32 = -1
        group.groupUint32 = 2
        m.data = group
        m.repeatedNestedEnum = [.bar, .baz]
        m.packedInt32 = [-1, 1]
        m.mapStringNestedEnum = ["a": .bar]
        m.oneofField = .oneofString("one")
        return m
    }

    static func extensions() -> ProtobufUnittest_TestAllExtensions {
        typealias X = Google_Protobuf_Unittest_ProtoFile
        var m = ProtobufUnittest_TestAllExtensions()
        m[extension: X.optionalInt32Extension] = -5
        m[extension: X.optionalStringExtension] = "ext"
        var nested = ProtobufUnittest_TestAllTypes.NestedMessage()
        nested.bb = 3
        m[extension: X.optionalNestedMessageExtension] = nested
        var group = ProtobufUnittest_OptionalGroup_extension()
        group.a = 4
        m[extension: X.optionalgroupExtension] = group
        m[extension: X.repeatedInt64Extension] = [1, -1]
        m[extension: X.repeatedNestedEnumExtension] = [.baz, .foo]
        m[extension: X.optionalNestedEnumExtension] = .bar
        return m
    }

    static func recursive() -> ProtobufUnittest_TestRecursiveMessage {
        var m = ProtobufUnittest_TestRecursiveMessage()
        m.i = 1
        m.a = ProtobufUnittest_TestRecursiveMessage()
        m.a?.i = 2
        m.a?.a = ProtobufUnittest_TestRecursiveMessage()
        m.a?.a?.a = ProtobufUnittest_TestRecursiveMessage()
        m.a?.a?.a?.i = 4
        return m
    }

    static func required() -> ProtobufUnittest_TestRequired {
        var m = ProtobufUnittest_TestRequired()
        m.a = 1
        m.b = 2
        m.c = 3
        return m
    }

    @Test("Swift-built messages decode in python to the expected values")
    func pythonDecodes() async throws {
        let cases: [(recipe: String, message: any FerryCodec.Message)] = [
            ("bench-order", Self.benchOrder()),
            ("proto3-edges", Self.proto3Edges()),
            ("proto2-presence", Self.proto2Presence()),
            ("extensions", Self.extensions()),
            ("recursive", Self.recursive()),
            ("required", Self.required()),
        ]
        let input = cases.map {
            "\($0.recipe) \(type(of: $0.message).protoMessageName) \($0.message.serializedBytes().hex)"
        }
        let output = try await Oracle.python(
            ["check", try await Oracle.descriptorSet()],
            stdin: input.joined(separator: "\n") + "\n"
        )
        let lines = output.split(separator: "\n")
        #expect(lines.count == cases.count)
        for line in lines {
            #expect(line.hasSuffix(" OK"), "\(line)")
        }
    }

    @Test("extension accessors read back what they wrote and what python wrote")
    func extensionAccessors() throws {
        typealias X = Google_Protobuf_Unittest_ProtoFile
        var m = Self.extensions()
        #expect(m[extension: X.optionalInt32Extension] == -5)
        #expect(m[extension: X.optionalgroupExtension]?.a == 4)
        #expect(m[extension: X.repeatedNestedEnumExtension] == [.baz, .foo])
        #expect(m[extension: X.optionalInt64Extension] == nil)
        m[extension: X.optionalInt32Extension] = nil
        #expect(m[extension: X.optionalInt32Extension] == nil)
        #expect(!m.hasExtension(X.optionalInt32Extension))
        let decoded = try ProtobufUnittest_TestAllExtensions(serializedBytes: m.serializedBytes())
        #expect(decoded[extension: X.optionalStringExtension] == "ext")
        #expect(decoded[extension: X.optionalNestedMessageExtension]?.bb == 3)
    }

    @Test("required fields drive isInitialized, transitively")
    func required() throws {
        var m = ProtobufUnittest_TestRequiredForeign()
        #expect(m.isInitialized)
        m.optionalMessage = ProtobufUnittest_TestRequired()
        #expect(!m.isInitialized)
        m.optionalMessage = Self.required()
        #expect(m.isInitialized)
        m.repeatedMessage = [ProtobufUnittest_TestRequired()]
        #expect(!m.isInitialized)
        #expect(throws: DecodingError.self) { try ProtobufUnittest_TestRequired(serializedBytes: []) }
    }

    @Test("proto2 defaults are exposed through OrDefault accessors")
    func defaults() {
        let m = ProtobufUnittest_TestAllTypes()
        #expect(m.defaultInt32 == nil)
        #expect(m.defaultInt32OrDefault == 41)
        #expect(m.defaultStringOrDefault == "hello")
        #expect(m.defaultBytesOrDefault == Array("world".utf8))
        #expect(m.defaultNestedEnumOrDefault == .bar)
        #expect(m.defaultDoubleOrDefault == 52e3)
        let extreme = ProtobufUnittest_TestExtremeDefaultValues()
        #expect(extreme.largeUint64OrDefault == .max)
        #expect(extreme.reallySmallInt64OrDefault == .min)
        #expect(extreme.infDoubleOrDefault == .infinity)
        #expect(extreme.nanFloatOrDefault.isNaN)
        #expect(extreme.escapedBytesOrDefault == [0, 1, 7, 8, 12, 10, 13, 9, 11, 92, 39, 34, 254])
        #expect(extreme.utf8StringOrDefault == "\u{1234}")
    }

    @Test("custom options are readable from the embedded descriptors")
    func customOptions() throws {
        typealias X = Google_Protobuf_UnittestCustomOptions_ProtoFile
        let message = ProtobufUnittest_TestMessageWithCustomOptions.descriptor
        #expect(message.name == "TestMessageWithCustomOptions")
        #expect(message.options?[extension: X.messageOpt1] == -56)
        let field = try #require(message.field.first)
        #expect(field.options?[extension: X.fieldOpt1] == 8_765_432_109)
        let file = X.descriptor
        #expect(file.options?[extension: X.fileOpt1] == 9_876_543_210)
        let enumDescriptor = ProtobufUnittest_TestMessageWithCustomOptions.AnEnum.descriptor
        #expect(enumDescriptor.name == "AnEnum")
        #expect(enumDescriptor.options?[extension: X.enumOpt1] == -789)
        #expect(enumDescriptor.value.first { $0.name == "ANENUM_VAL2" }?.options?[extension: X.enumValueOpt1] == 123)
        #expect(ProtobufUnittest_MethodOpt1.descriptor.name == "MethodOpt1")
        let complex = ProtobufUnittest_VariousComplexOptions.descriptor.options
        #expect(complex?[extension: X.complexOpt1]?.foo == 42)
        #expect(complex?[extension: X.complexOpt2]?.baz == 987)
    }
}
