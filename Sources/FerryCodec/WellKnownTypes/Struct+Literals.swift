// Literal syntax for the JSON-like well-known types, so that
// `let labels: Google_Protobuf_Struct = ["tier": "gold", "score": 9.5, "tags": ["a", "b"]]` reads as JSON does.

extension Google_Protobuf_Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Creates a value of the given kind: null, number, string, bool, object or list.
    public init(_ kind: Kind) {
        self.init()
        self.kind = kind
    }
    /// `nil` becomes JSON `null`, the `nullValue` kind.
    public init(nilLiteral: ()) { self.init(.nullValue(.nullValue)) }
    /// `true` or `false` becomes a JSON boolean.
    public init(booleanLiteral value: Bool) { self.init(.boolValue(value)) }
    /// Numbers are doubles in a Value, as in JSON.
    public init(integerLiteral value: Int) { self.init(.numberValue(Double(value))) }
    /// A floating-point literal becomes a JSON number.
    public init(floatLiteral value: Double) { self.init(.numberValue(value)) }
    /// A string literal becomes a JSON string.
    public init(stringLiteral value: String) { self.init(.stringValue(value)) }
    /// An array literal becomes a JSON array: a `ListValue` holding the elements in order.
    public init(arrayLiteral elements: Google_Protobuf_Value...) {
        var list = Google_Protobuf_ListValue()
        list.values = elements
        self.init(.listValue(list))
    }
    /// A dictionary literal becomes a JSON object: a `Struct`, where a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, Google_Protobuf_Value)...) {
        var object = Google_Protobuf_Struct()
        for (key, value) in elements { object.fields[key] = value }
        self.init(.structValue(object))
    }
}

extension Google_Protobuf_Struct: ExpressibleByDictionaryLiteral {
    /// Builds a JSON object from key-value pairs; when a key appears twice, the later value wins.
    public init(dictionaryLiteral elements: (String, Google_Protobuf_Value)...) {
        self.init()
        for (key, value) in elements { fields[key] = value }
    }
}

extension Google_Protobuf_ListValue: ExpressibleByArrayLiteral {
    /// Builds a JSON array whose values are the literal's elements, in order.
    public init(arrayLiteral elements: Google_Protobuf_Value...) {
        self.init()
        values = elements
    }
}
