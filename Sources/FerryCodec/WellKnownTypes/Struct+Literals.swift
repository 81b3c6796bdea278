// Literal syntax for the JSON-like well-known types, so that
// `let labels: Google_Protobuf_Struct = ["tier": "gold", "score": 9.5, "tags": ["a", "b"]]` reads as JSON does.

extension Google_Protobuf_Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(_ kind: Kind) { self.init(); self.kind = kind }
    public init(nilLiteral: ()) { self.init(.nullValue(.nullValue)) }
    public init(booleanLiteral value: Bool) { self.init(.boolValue(value)) }
    /// Numbers are doubles in a Value, as in JSON.
    public init(integerLiteral value: Int) { self.init(.numberValue(Double(value))) }
    public init(floatLiteral value: Double) { self.init(.numberValue(value)) }
    public init(stringLiteral value: String) { self.init(.stringValue(value)) }
    public init(arrayLiteral elements: Google_Protobuf_Value...) {
        var list = Google_Protobuf_ListValue()
        list.values = elements
        self.init(.listValue(list))
    }
    public init(dictionaryLiteral elements: (String, Google_Protobuf_Value)...) {
        var object = Google_Protobuf_Struct()
        for (key, value) in elements { object.fields[key] = value }
        self.init(.structValue(object))
    }
}

extension Google_Protobuf_Struct: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Google_Protobuf_Value)...) {
        self.init()
        for (key, value) in elements { fields[key] = value }
    }
}

extension Google_Protobuf_ListValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Google_Protobuf_Value...) {
        self.init()
        values = elements
    }
}
