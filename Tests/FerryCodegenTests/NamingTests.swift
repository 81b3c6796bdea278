import Testing

@testable import FerryCodegen

@Suite struct NamingTests {
    @Test(
        "field names become lowerCamelCase",
        arguments: [
            ("price_cents", "priceCents"), ("FieldName8", "fieldName8"), ("FIELD_NAME11", "fieldNAME11"),
            ("_field_name3", "fieldName3"), ("field0name5", "field0Name5"), ("URLPath", "urlPath"), ("a", "a"),
        ]
    )
    func lowerCamel(input: String, expected: String) {
        #expect(NameFormatting.lowerCamel(input) == expected)
    }

    @Test("packages become underscore-joined UpperCamel prefixes")
    func packages() {
        #expect(NameFormatting.packagePrefix("protobuf_unittest") == "ProtobufUnittest")
        #expect(NameFormatting.packagePrefix("acme.v1_beta") == "Acme_V1Beta")
        #expect(NameFormatting.packagePrefix("") == "")
    }

    @Test(
        "enum value prefixes named after the enum are stripped",
        arguments: [
            ("ORDER_STATUS_PAID", "OrderStatus", "paid"), ("TYPE_SFIXED32", "Type", "sfixed32"),
            ("JS_NORMAL", "JSType", "jsNormal"), ("FOREIGN_BAR", "ForeignEnum", "foreignBar"),
            ("COLOR_1", "Color", "color1"), ("SPEED", "OptimizeMode", "speed"),
        ]
    )
    func enumCases(value: String, enumName: String, expected: String) {
        #expect(NameFormatting.enumCaseName(value: value, enumName: enumName) == expected)
    }

    @Test("keywords are escaped with backticks")
    func keywords() {
        #expect(NameFormatting.escaped("default") == "`default`")
        #expect(NameFormatting.escaped("package") == "`package`")
        #expect(NameFormatting.escaped("self") == "`self`")
        #expect(NameFormatting.escaped("name") == "name")
    }

    @Test("names that collide with generated or standard names are renamed")
    func collisions() {
        #expect(NameFormatting.typeName("Type", isEnum: true) == "TypeEnum")
        #expect(NameFormatting.typeName("String", isEnum: false) == "StringMessage")
        #expect(NameFormatting.typeName("Order", isEnum: false) == "Order")
        #expect(NameFormatting.propertyName("unknown_fields") == "unknownFields_")
        #expect(NameFormatting.propertyName("is_initialized") == "isInitialized_")
        #expect(NameFormatting.propertyName("serialized_size") == "serializedSize_")
    }

    @Test(
        "UPPER_SNAKE forms of type names",
        arguments: [("OrderStatus", "ORDER_STATUS"), ("JSType", "JS_TYPE"), ("HTTPCode2", "HTTP_CODE2")]
    )
    func upperSnake(name: String, expected: String) {
        #expect(NameFormatting.upperSnake(name) == expected)
    }
}
