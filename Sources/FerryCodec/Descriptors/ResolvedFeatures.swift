/// The protobuf features that decide how a field is encoded and what it holds, resolved for one
/// element of a file: the defaults of the file's syntax or edition, overridden by the `features`
/// options of the file, then each enclosing message, then the element itself.
///
/// proto2 and proto3 files have fixed features (their "legacy editions"), so the generator and the
/// runtime's schema decide presence, enum closedness, packing and delimited encoding from this one
/// type for every kind of file.
package struct ResolvedFeatures: Sendable, Hashable {
    package var fieldPresence: Google_Protobuf_FeatureSet.FieldPresence
    package var enumType: Google_Protobuf_FeatureSet.EnumType
    package var repeatedFieldEncoding: Google_Protobuf_FeatureSet.RepeatedFieldEncoding
    package var utf8Validation: Google_Protobuf_FeatureSet.Utf8Validation
    package var messageEncoding: Google_Protobuf_FeatureSet.MessageEncoding
    package var jsonFormat: Google_Protobuf_FeatureSet.JsonFormat

    /// The defaults of `file`'s syntax or edition (descriptor.proto's `edition_defaults`), with the
    /// file's own `features` applied.
    package init(file: Google_Protobuf_FileDescriptorProto) {
        switch file.syntax {
        case "proto3":
            self.init(.implicit, .open, .packed, .verify, .lengthPrefixed, .allow)
        case "editions":
            // 2023 and 2024 share these defaults.
            self.init(.explicit, .open, .packed, .verify, .lengthPrefixed, .allow)
        default:
            self.init(.explicit, .closed, .expanded, .none, .lengthPrefixed, .legacyBestEffort)
        }
        self = merged(file.options?.features)
    }

    private init(
        _ fieldPresence: Google_Protobuf_FeatureSet.FieldPresence,
        _ enumType: Google_Protobuf_FeatureSet.EnumType,
        _ repeatedFieldEncoding: Google_Protobuf_FeatureSet.RepeatedFieldEncoding,
        _ utf8Validation: Google_Protobuf_FeatureSet.Utf8Validation,
        _ messageEncoding: Google_Protobuf_FeatureSet.MessageEncoding,
        _ jsonFormat: Google_Protobuf_FeatureSet.JsonFormat
    ) {
        self.fieldPresence = fieldPresence
        self.enumType = enumType
        self.repeatedFieldEncoding = repeatedFieldEncoding
        self.utf8Validation = utf8Validation
        self.messageEncoding = messageEncoding
        self.jsonFormat = jsonFormat
    }

    /// These features with those `set` sets explicitly (an element's or a scope's `features`).
    package func merged(_ set: Google_Protobuf_FeatureSet?) -> ResolvedFeatures {
        guard let set else { return self }
        var result = self
        if let value = set.fieldPresence, value != .unknown { result.fieldPresence = value }
        if let value = set.enumType, value != .unknown { result.enumType = value }
        if let value = set.repeatedFieldEncoding, value != .unknown { result.repeatedFieldEncoding = value }
        if let value = set.utf8Validation, value != .unknown { result.utf8Validation = value }
        if let value = set.messageEncoding, value != .unknown { result.messageEncoding = value }
        if let value = set.jsonFormat, value != .unknown { result.jsonFormat = value }
        return result
    }

    /// Whether a singular field of these features without `optional`, a oneof or a message type
    /// tracks presence.
    package var hasExplicitPresence: Bool { fieldPresence != .implicit }

    /// Whether `field`, resolved to these features, is written as a group (start and end tags)
    /// rather than length-prefixed: proto2 groups, and edition message fields set DELIMITED.
    package func isDelimited(_ field: Google_Protobuf_FieldDescriptorProto) -> Bool {
        field.type == .group || (field.type == .message && messageEncoding == .delimited)
    }

    /// Whether a repeated scalar field of these features is packed: `[packed]` in proto2 and
    /// proto3, else the repeated-field encoding.
    package func isPacked(_ field: Google_Protobuf_FieldDescriptorProto) -> Bool {
        field.options?.packed ?? (repeatedFieldEncoding == .packed)
    }

    /// Whether a singular field has presence (a Swift optional, written even at its default).
    package func hasPresence(_ field: Google_Protobuf_FieldDescriptorProto) -> Bool {
        if field.label == .repeated { return false }
        if field.type == .message || field.type == .group || field.oneofIndex != nil || field.proto3Optional == true
            || field.extendee != nil
        {
            return true
        }
        return hasExplicitPresence
    }

    /// Whether the field is required: proto2 `required`, or the LEGACY_REQUIRED feature.
    package func isRequired(_ field: Google_Protobuf_FieldDescriptorProto) -> Bool {
        field.label == .required || (field.label != .repeated && fieldPresence == .legacyRequired)
    }
}
