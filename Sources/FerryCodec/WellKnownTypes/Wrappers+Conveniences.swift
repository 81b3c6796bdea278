// The wrapper types box one scalar each so that proto3 fields can tell "absent" from "zero";
// these initializers make building one a single call.

extension Google_Protobuf_DoubleValue {
    /// Wraps a `double`, so that an explicit 0.0 stays distinguishable from an unset field.
    public init(_ value: Double) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_FloatValue {
    /// Wraps a 32-bit `float`, so that an explicit 0.0 stays distinguishable from an unset field.
    public init(_ value: Float) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_Int64Value {
    /// Wraps an `int64`, for a signed 64-bit field whose zero must not mean "absent".
    public init(_ value: Int64) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_UInt64Value {
    /// Wraps a `uint64`, for an unsigned 64-bit field whose zero must not mean "absent".
    public init(_ value: UInt64) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_Int32Value {
    /// Wraps an `int32`, for a signed 32-bit field whose zero must not mean "absent".
    public init(_ value: Int32) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_UInt32Value {
    /// Wraps a `uint32`, for an unsigned 32-bit field whose zero must not mean "absent".
    public init(_ value: UInt32) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_BoolValue {
    /// Wraps a `bool`, so that an explicit `false` differs from an unset field.
    public init(_ value: Bool) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_StringValue {
    /// Wraps a `string`, so that an explicit empty string differs from an unset field.
    public init(_ value: String) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_BytesValue {
    /// Wraps `bytes`, so that an explicit empty byte string differs from an unset field.
    public init(_ value: [UInt8]) {
        self.init()
        self.value = value
    }
}

extension Google_Protobuf_FieldMask {
    /// Creates a mask of field paths such as `"address.city"`.
    public init(paths: [String]) {
        self.init()
        self.paths = paths
    }
}
