// The wrapper types box one scalar each so that proto3 fields can tell "absent" from "zero";
// these initializers make building one a single call.

extension Google_Protobuf_DoubleValue {
    public init(_ value: Double) { self.init(); self.value = value }
}

extension Google_Protobuf_FloatValue {
    public init(_ value: Float) { self.init(); self.value = value }
}

extension Google_Protobuf_Int64Value {
    public init(_ value: Int64) { self.init(); self.value = value }
}

extension Google_Protobuf_UInt64Value {
    public init(_ value: UInt64) { self.init(); self.value = value }
}

extension Google_Protobuf_Int32Value {
    public init(_ value: Int32) { self.init(); self.value = value }
}

extension Google_Protobuf_UInt32Value {
    public init(_ value: UInt32) { self.init(); self.value = value }
}

extension Google_Protobuf_BoolValue {
    public init(_ value: Bool) { self.init(); self.value = value }
}

extension Google_Protobuf_StringValue {
    public init(_ value: String) { self.init(); self.value = value }
}

extension Google_Protobuf_BytesValue {
    public init(_ value: [UInt8]) { self.init(); self.value = value }
}

extension Google_Protobuf_FieldMask {
    /// Creates a mask of field paths such as `"address.city"`.
    public init(paths: [String]) { self.init(); self.paths = paths }
}
