// DO NOT EDIT. Generated from google/protobuf/descriptor.proto (protobuf 3.21.12).
// swift-format-ignore-file
//
// The descriptor types: how protoc, the Ferry compiler and the registry describe .proto files
// as messages. Bootstrapped once from protoc's own descriptor of descriptor.proto; `ferry generate`
// reproduces this file.


/// The protocol compiler can output a FileDescriptorSet containing the .proto
/// files it parses.
public struct Google_Protobuf_FileDescriptorSet: Sendable, Hashable {
    public var file: [Google_Protobuf_FileDescriptorProto] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

/// Describes a complete .proto file.
public struct Google_Protobuf_FileDescriptorProto: Sendable, Hashable {
    public var name: String? = nil

    public var `package`: String? = nil

    /// Names of files imported by this file.
    public var dependency: [String] = []

    /// Indexes of the public imported files in the dependency list above.
    public var publicDependency: [Int32] = []

    /// Indexes of the weak imported files in the dependency list.
    /// For Google-internal migration only. Do not use.
    public var weakDependency: [Int32] = []

    /// All top-level definitions in this file.
    public var messageType: [Google_Protobuf_DescriptorProto] = []

    public var enumType: [Google_Protobuf_EnumDescriptorProto] = []

    public var service: [Google_Protobuf_ServiceDescriptorProto] = []

    public var `extension`: [Google_Protobuf_FieldDescriptorProto] = []

    public var options: Google_Protobuf_FileOptions? = nil

    /// This field contains optional information about the original source code.
    /// You may safely remove this entire field without harming runtime
    /// functionality of the descriptors -- the information is needed only by
    /// development tools.
    public var sourceCodeInfo: Google_Protobuf_SourceCodeInfo? = nil

    /// The syntax of the proto file.
    /// The supported values are "proto2" and "proto3".
    public var syntax: String? = nil

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

/// Describes a message type.
public struct Google_Protobuf_DescriptorProto: Sendable, Hashable {
    public var name: String? = nil

    public var field: [Google_Protobuf_FieldDescriptorProto] = []

    public var `extension`: [Google_Protobuf_FieldDescriptorProto] = []

    public var nestedType: [Google_Protobuf_DescriptorProto] = []

    public var enumType: [Google_Protobuf_EnumDescriptorProto] = []

    public var extensionRange: [Google_Protobuf_DescriptorProto.ExtensionRange] = []

    public var oneofDecl: [Google_Protobuf_OneofDescriptorProto] = []

    public var options: Google_Protobuf_MessageOptions? = nil

    public var reservedRange: [Google_Protobuf_DescriptorProto.ReservedRange] = []

    /// Reserved field names, which may not be used by fields in the same message.
    /// A given name may only be reserved once.
    public var reservedName: [String] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    public struct ExtensionRange: Sendable, Hashable {
        public var start: Int32? = nil

        public var end: Int32? = nil

        public var options: Google_Protobuf_ExtensionRangeOptions? = nil

        /// Fields read from the wire that this schema does not define, kept for re-encoding.
        public var unknownFields = UnknownFields()

        public init() {}
    }

    /// Range of reserved tag numbers. Reserved tag numbers may not be used by
    /// fields or extension ranges in the same message. Reserved ranges may
    /// not overlap.
    public struct ReservedRange: Sendable, Hashable {
        public var start: Int32? = nil

        public var end: Int32? = nil

        /// Fields read from the wire that this schema does not define, kept for re-encoding.
        public var unknownFields = UnknownFields()

        public init() {}
    }
}

public struct Google_Protobuf_ExtensionRangeOptions: Sendable, Hashable {
    /// The parser stores options it doesn't recognize here. See above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

/// Describes a field within a message.
public struct Google_Protobuf_FieldDescriptorProto: Sendable, Hashable {
    public var name: String? = nil

    public var number: Int32? = nil

    public var label: Google_Protobuf_FieldDescriptorProto.Label? = nil

    /// If type_name is set, this need not be set.  If both this and type_name
    /// are set, this must be one of TYPE_ENUM, TYPE_MESSAGE or TYPE_GROUP.
    public var type: Google_Protobuf_FieldDescriptorProto.TypeEnum? = nil

    /// For message and enum types, this is the name of the type.  If the name
    /// starts with a '.', it is fully-qualified.  Otherwise, C++-like scoping
    /// rules are used to find the type (i.e. first the nested types within this
    /// message are searched, then within the parent, on up to the root
    /// namespace).
    public var typeName: String? = nil

    /// For extensions, this is the name of the type being extended.  It is
    /// resolved in the same manner as type_name.
    public var extendee: String? = nil

    /// For numeric types, contains the original text representation of the value.
    /// For booleans, "true" or "false".
    /// For strings, contains the default text contents (not escaped in any way).
    /// For bytes, contains the C escaped value.  All bytes >= 128 are escaped.
    public var defaultValue: String? = nil

    /// If set, gives the index of a oneof in the containing type's oneof_decl
    /// list.  This field is a member of that oneof.
    public var oneofIndex: Int32? = nil

    /// JSON name of this field. The value is set by protocol compiler. If the
    /// user has set a "json_name" option on this field, that option's value
    /// will be used. Otherwise, it's deduced from the field's name by converting
    /// it to camelCase.
    public var jsonName: String? = nil

    public var options: Google_Protobuf_FieldOptions? = nil

    /// If true, this is a proto3 "optional". When a proto3 field is optional, it
    /// tracks presence regardless of field type.
    ///
    /// When proto3_optional is true, this field must be belong to a oneof to
    /// signal to old proto3 clients that presence is tracked for this field. This
    /// oneof is known as a "synthetic" oneof, and this field must be its sole
    /// member (each proto3 optional field gets its own synthetic oneof). Synthetic
    /// oneofs exist in the descriptor only, and do not generate any API. Synthetic
    /// oneofs must be ordered after all "real" oneofs.
    ///
    /// For message fields, proto3_optional doesn't create any semantic change,
    /// since non-repeated message fields always track presence. However it still
    /// indicates the semantic detail of whether the user wrote "optional" or not.
    /// This can be useful for round-tripping the .proto file. For consistency we
    /// give message fields a synthetic oneof also, even though it is not required
    /// to track presence. This is especially important because the parser can't
    /// tell if a field is a message or an enum, so it must always create a
    /// synthetic oneof.
    ///
    /// Proto2 optional fields do not set this flag, because they already indicate
    /// optional with `LABEL_OPTIONAL`.
    public var proto3Optional: Bool? = nil

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    public enum TypeEnum: Int32, ProtoEnum {
        /// 0 is reserved for errors.
        /// Order is weird for historical reasons.
        case double = 1
        case float = 2
        /// Not ZigZag encoded.  Negative numbers take 10 bytes.  Use TYPE_SINT64 if
        /// negative values are likely.
        case int64 = 3
        case uint64 = 4
        /// Not ZigZag encoded.  Negative numbers take 10 bytes.  Use TYPE_SINT32 if
        /// negative values are likely.
        case int32 = 5
        case fixed64 = 6
        case fixed32 = 7
        case bool = 8
        case string = 9
        /// Tag-delimited aggregate.
        /// Group type is deprecated and not supported in proto3. However, Proto3
        /// implementations should still be able to parse the group wire format and
        /// treat group fields as unknown fields.
        case group = 10
        case message = 11
        /// New in version 2.
        case bytes = 12
        case uint32 = 13
        case `enum` = 14
        case sfixed32 = 15
        case sfixed64 = 16
        case sint32 = 17
        case sint64 = 18

        public init() { self = .double }
    }

    public enum Label: Int32, ProtoEnum {
        /// 0 is reserved for errors
        case `optional` = 1
        case `required` = 2
        case repeated = 3

        public init() { self = .`optional` }
    }
}

/// Describes a oneof.
public struct Google_Protobuf_OneofDescriptorProto: Sendable, Hashable {
    public var name: String? = nil

    public var options: Google_Protobuf_OneofOptions? = nil

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

/// Describes an enum type.
public struct Google_Protobuf_EnumDescriptorProto: Sendable, Hashable {
    public var name: String? = nil

    public var value: [Google_Protobuf_EnumValueDescriptorProto] = []

    public var options: Google_Protobuf_EnumOptions? = nil

    /// Range of reserved numeric values. Reserved numeric values may not be used
    /// by enum values in the same enum declaration. Reserved ranges may not
    /// overlap.
    public var reservedRange: [Google_Protobuf_EnumDescriptorProto.EnumReservedRange] = []

    /// Reserved enum value names, which may not be reused. A given name may only
    /// be reserved once.
    public var reservedName: [String] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    /// Range of reserved numeric values. Reserved values may not be used by
    /// entries in the same enum. Reserved ranges may not overlap.
    ///
    /// Note that this is distinct from DescriptorProto.ReservedRange in that it
    /// is inclusive such that it can appropriately represent the entire int32
    /// domain.
    public struct EnumReservedRange: Sendable, Hashable {
        public var start: Int32? = nil

        public var end: Int32? = nil

        /// Fields read from the wire that this schema does not define, kept for re-encoding.
        public var unknownFields = UnknownFields()

        public init() {}
    }
}

/// Describes a value within an enum.
public struct Google_Protobuf_EnumValueDescriptorProto: Sendable, Hashable {
    public var name: String? = nil

    public var number: Int32? = nil

    public var options: Google_Protobuf_EnumValueOptions? = nil

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

/// Describes a service.
public struct Google_Protobuf_ServiceDescriptorProto: Sendable, Hashable {
    public var name: String? = nil

    public var method: [Google_Protobuf_MethodDescriptorProto] = []

    public var options: Google_Protobuf_ServiceOptions? = nil

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

/// Describes a method of a service.
public struct Google_Protobuf_MethodDescriptorProto: Sendable, Hashable {
    public var name: String? = nil

    /// Input and output type names.  These are resolved in the same way as
    /// FieldDescriptorProto.type_name, but must refer to a message type.
    public var inputType: String? = nil

    public var outputType: String? = nil

    public var options: Google_Protobuf_MethodOptions? = nil

    /// Identifies if client streams multiple client messages
    public var clientStreaming: Bool? = nil

    /// Identifies if server streams multiple server messages
    public var serverStreaming: Bool? = nil

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

public struct Google_Protobuf_FileOptions: Sendable, Hashable {
    /// Sets the Java package where classes generated from this .proto will be
    /// placed.  By default, the proto package is used, but this is often
    /// inappropriate because proto packages do not normally start with backwards
    /// domain names.
    public var javaPackage: String? = nil

    /// Controls the name of the wrapper Java class generated for the .proto file.
    /// That class will always contain the .proto file's getDescriptor() method as
    /// well as any top-level extensions defined in the .proto file.
    /// If java_multiple_files is disabled, then all the other classes from the
    /// .proto file will be nested inside the single wrapper outer class.
    public var javaOuterClassname: String? = nil

    /// If enabled, then the Java code generator will generate a separate .java
    /// file for each top-level message, enum, and service defined in the .proto
    /// file.  Thus, these types will *not* be nested inside the wrapper class
    /// named by java_outer_classname.  However, the wrapper class will still be
    /// generated to contain the file's getDescriptor() method as well as any
    /// top-level extensions defined in the file.
    public var javaMultipleFiles: Bool? = nil

    /// This option does nothing.
    public var javaGenerateEqualsAndHash: Bool? = nil

    /// If set true, then the Java2 code generator will generate code that
    /// throws an exception whenever an attempt is made to assign a non-UTF-8
    /// byte sequence to a string field.
    /// Message reflection will do the same.
    /// However, an extension field still accepts non-UTF-8 byte sequences.
    /// This option has no effect on when used with the lite runtime.
    public var javaStringCheckUtf8: Bool? = nil

    public var optimizeFor: Google_Protobuf_FileOptions.OptimizeMode? = nil

    /// Sets the Go package where structs generated from this .proto will be
    /// placed. If omitted, the Go package will be derived from the following:
    ///   - The basename of the package import path, if provided.
    ///   - Otherwise, the package statement in the .proto file, if present.
    ///   - Otherwise, the basename of the .proto file, without extension.
    public var goPackage: String? = nil

    /// Should generic services be generated in each language?  "Generic" services
    /// are not specific to any particular RPC system.  They are generated by the
    /// main code generators in each language (without additional plugins).
    /// Generic services were the only kind of service generation supported by
    /// early versions of google.protobuf.
    ///
    /// Generic services are now considered deprecated in favor of using plugins
    /// that generate code specific to your particular RPC system.  Therefore,
    /// these default to false.  Old code which depends on generic services should
    /// explicitly set them to true.
    public var ccGenericServices: Bool? = nil

    public var javaGenericServices: Bool? = nil

    public var pyGenericServices: Bool? = nil

    public var phpGenericServices: Bool? = nil

    /// Is this file deprecated?
    /// Depending on the target platform, this can emit Deprecated annotations
    /// for everything in the file, or it will be completely ignored; in the very
    /// least, this is a formalization for deprecating files.
    public var deprecated: Bool? = nil

    /// Enables the use of arenas for the proto messages in this file. This applies
    /// only to generated classes for C++.
    public var ccEnableArenas: Bool? = nil

    /// Sets the objective c class prefix which is prepended to all objective c
    /// generated classes from this .proto. There is no default.
    public var objcClassPrefix: String? = nil

    /// Namespace for generated classes; defaults to the package.
    public var csharpNamespace: String? = nil

    /// By default Swift generators will take the proto package and CamelCase it
    /// replacing '.' with underscore and use that to prefix the types/symbols
    /// defined. When this options is provided, they will use this value instead
    /// to prefix the types/symbols defined.
    public var swiftPrefix: String? = nil

    /// Sets the php class prefix which is prepended to all php generated classes
    /// from this .proto. Default is empty.
    public var phpClassPrefix: String? = nil

    /// Use this option to change the namespace of php generated classes. Default
    /// is empty. When this option is empty, the package name will be used for
    /// determining the namespace.
    public var phpNamespace: String? = nil

    /// Use this option to change the namespace of php generated metadata classes.
    /// Default is empty. When this option is empty, the proto file name will be
    /// used for determining the namespace.
    public var phpMetadataNamespace: String? = nil

    /// Use this option to change the package of ruby generated classes. Default
    /// is empty. When this option is not set, the package name will be used for
    /// determining the ruby package.
    public var rubyPackage: String? = nil

    /// The parser stores options it doesn't recognize here.
    /// See the documentation for the "Options" section above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    /// Generated classes can be optimized for speed or code size.
    public enum OptimizeMode: Int32, ProtoEnum {
        case speed = 1
        /// etc.
        case codeSize = 2
        case liteRuntime = 3

        public init() { self = .speed }
    }
}

public struct Google_Protobuf_MessageOptions: Sendable, Hashable {
    /// Set true to use the old proto1 MessageSet wire format for extensions.
    /// This is provided for backwards-compatibility with the MessageSet wire
    /// format.  You should not use this for any other reason:  It's less
    /// efficient, has fewer features, and is more complicated.
    ///
    /// The message must be defined exactly as follows:
    ///   message Foo {
    ///     option message_set_wire_format = true;
    ///     extensions 4 to max;
    ///   }
    /// Note that the message cannot have any defined fields; MessageSets only
    /// have extensions.
    ///
    /// All extensions of your type must be singular messages; e.g. they cannot
    /// be int32s, enums, or repeated messages.
    ///
    /// Because this is an option, the above two restrictions are not enforced by
    /// the protocol compiler.
    public var messageSetWireFormat: Bool? = nil

    /// Disables the generation of the standard "descriptor()" accessor, which can
    /// conflict with a field of the same name.  This is meant to make migration
    /// from proto1 easier; new code should avoid fields named "descriptor".
    public var noStandardDescriptorAccessor: Bool? = nil

    /// Is this message deprecated?
    /// Depending on the target platform, this can emit Deprecated annotations
    /// for the message, or it will be completely ignored; in the very least,
    /// this is a formalization for deprecating messages.
    public var deprecated: Bool? = nil

    /// Whether the message is an automatically generated map entry type for the
    /// maps field.
    ///
    /// For maps fields:
    ///     map<KeyType, ValueType> map_field = 1;
    /// The parsed descriptor looks like:
    ///     message MapFieldEntry {
    ///         option map_entry = true;
    ///         optional KeyType key = 1;
    ///         optional ValueType value = 2;
    ///     }
    ///     repeated MapFieldEntry map_field = 1;
    ///
    /// Implementations may choose not to generate the map_entry=true message, but
    /// use a native map in the target language to hold the keys and values.
    /// The reflection APIs in such implementations still need to work as
    /// if the field is a repeated message field.
    ///
    /// NOTE: Do not set the option in .proto files. Always use the maps syntax
    /// instead. The option should only be implicitly set by the proto compiler
    /// parser.
    public var mapEntry: Bool? = nil

    /// The parser stores options it doesn't recognize here. See above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

public struct Google_Protobuf_FieldOptions: Sendable, Hashable {
    /// The ctype option instructs the C++ code generator to use a different
    /// representation of the field than it normally would.  See the specific
    /// options below.  This option is not yet implemented in the open source
    /// release -- sorry, we'll try to include it in a future version!
    public var ctype: Google_Protobuf_FieldOptions.CType? = nil

    /// The packed option can be enabled for repeated primitive fields to enable
    /// a more efficient representation on the wire. Rather than repeatedly
    /// writing the tag and type for each element, the entire array is encoded as
    /// a single length-delimited blob. In proto3, only explicit setting it to
    /// false will avoid using packed encoding.
    public var packed: Bool? = nil

    /// The jstype option determines the JavaScript type used for values of the
    /// field.  The option is permitted only for 64 bit integral and fixed types
    /// (int64, uint64, sint64, fixed64, sfixed64).  A field with jstype JS_STRING
    /// is represented as JavaScript string, which avoids loss of precision that
    /// can happen when a large value is converted to a floating point JavaScript.
    /// Specifying JS_NUMBER for the jstype causes the generated JavaScript code to
    /// use the JavaScript "number" type.  The behavior of the default option
    /// JS_NORMAL is implementation dependent.
    ///
    /// This option is an enum to permit additional types to be added, e.g.
    /// goog.math.Integer.
    public var jstype: Google_Protobuf_FieldOptions.JSType? = nil

    /// Should this field be parsed lazily?  Lazy applies only to message-type
    /// fields.  It means that when the outer message is initially parsed, the
    /// inner message's contents will not be parsed but instead stored in encoded
    /// form.  The inner message will actually be parsed when it is first accessed.
    ///
    /// This is only a hint.  Implementations are free to choose whether to use
    /// eager or lazy parsing regardless of the value of this option.  However,
    /// setting this option true suggests that the protocol author believes that
    /// using lazy parsing on this field is worth the additional bookkeeping
    /// overhead typically needed to implement it.
    ///
    /// This option does not affect the public interface of any generated code;
    /// all method signatures remain the same.  Furthermore, thread-safety of the
    /// interface is not affected by this option; const methods remain safe to
    /// call from multiple threads concurrently, while non-const methods continue
    /// to require exclusive access.
    ///
    ///
    /// Note that implementations may choose not to check required fields within
    /// a lazy sub-message.  That is, calling IsInitialized() on the outer message
    /// may return true even if the inner message has missing required fields.
    /// This is necessary because otherwise the inner message would have to be
    /// parsed in order to perform the check, defeating the purpose of lazy
    /// parsing.  An implementation which chooses not to check required fields
    /// must be consistent about it.  That is, for any particular sub-message, the
    /// implementation must either *always* check its required fields, or *never*
    /// check its required fields, regardless of whether or not the message has
    /// been parsed.
    ///
    /// As of 2021, lazy does no correctness checks on the byte stream during
    /// parsing.  This may lead to crashes if and when an invalid byte stream is
    /// finally parsed upon access.
    ///
    /// TODO(b/211906113):  Enable validation on lazy fields.
    public var lazy: Bool? = nil

    /// unverified_lazy does no correctness checks on the byte stream. This should
    /// only be used where lazy with verification is prohibitive for performance
    /// reasons.
    public var unverifiedLazy: Bool? = nil

    /// Is this field deprecated?
    /// Depending on the target platform, this can emit Deprecated annotations
    /// for accessors, or it will be completely ignored; in the very least, this
    /// is a formalization for deprecating fields.
    public var deprecated: Bool? = nil

    /// For Google-internal migration only. Do not use.
    public var weak: Bool? = nil

    /// The parser stores options it doesn't recognize here. See above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    public enum CType: Int32, ProtoEnum {
        /// Default mode.
        case string = 0
        case cord = 1
        case stringPiece = 2

        public init() { self = .string }
    }

    public enum JSType: Int32, ProtoEnum {
        /// Use the default type.
        case jsNormal = 0
        /// Use JavaScript strings.
        case jsString = 1
        /// Use JavaScript numbers.
        case jsNumber = 2

        public init() { self = .jsNormal }
    }
}

public struct Google_Protobuf_OneofOptions: Sendable, Hashable {
    /// The parser stores options it doesn't recognize here. See above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

public struct Google_Protobuf_EnumOptions: Sendable, Hashable {
    /// Set this option to true to allow mapping different tag names to the same
    /// value.
    public var allowAlias: Bool? = nil

    /// Is this enum deprecated?
    /// Depending on the target platform, this can emit Deprecated annotations
    /// for the enum, or it will be completely ignored; in the very least, this
    /// is a formalization for deprecating enums.
    public var deprecated: Bool? = nil

    /// The parser stores options it doesn't recognize here. See above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

public struct Google_Protobuf_EnumValueOptions: Sendable, Hashable {
    /// Is this enum value deprecated?
    /// Depending on the target platform, this can emit Deprecated annotations
    /// for the enum value, or it will be completely ignored; in the very least,
    /// this is a formalization for deprecating enum values.
    public var deprecated: Bool? = nil

    /// The parser stores options it doesn't recognize here. See above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

public struct Google_Protobuf_ServiceOptions: Sendable, Hashable {
    /// Is this service deprecated?
    /// Depending on the target platform, this can emit Deprecated annotations
    /// for the service, or it will be completely ignored; in the very least,
    /// this is a formalization for deprecating services.
    public var deprecated: Bool? = nil

    /// The parser stores options it doesn't recognize here. See above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}
}

public struct Google_Protobuf_MethodOptions: Sendable, Hashable {
    /// Is this method deprecated?
    /// Depending on the target platform, this can emit Deprecated annotations
    /// for the method, or it will be completely ignored; in the very least,
    /// this is a formalization for deprecating methods.
    public var deprecated: Bool? = nil

    public var idempotencyLevel: Google_Protobuf_MethodOptions.IdempotencyLevel? = nil

    /// The parser stores options it doesn't recognize here. See above.
    public var uninterpretedOption: [Google_Protobuf_UninterpretedOption] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    /// Is this method side-effect-free (or safe in HTTP parlance), or idempotent,
    /// or neither? HTTP based RPC implementation may choose GET verb for safe
    /// methods, and PUT verb for idempotent methods instead of the default POST.
    public enum IdempotencyLevel: Int32, ProtoEnum {
        case idempotencyUnknown = 0
        case noSideEffects = 1
        case idempotent = 2

        public init() { self = .idempotencyUnknown }
    }
}

/// A message representing a option the parser does not recognize. This only
/// appears in options protos created by the compiler::Parser class.
/// DescriptorPool resolves these when building Descriptor objects. Therefore,
/// options protos in descriptor objects (e.g. returned by Descriptor::options(),
/// or produced by Descriptor::CopyTo()) will never have UninterpretedOptions
/// in them.
public struct Google_Protobuf_UninterpretedOption: Sendable, Hashable {
    public var name: [Google_Protobuf_UninterpretedOption.NamePart] = []

    /// The value of the uninterpreted option, in whatever type the tokenizer
    /// identified it as during parsing. Exactly one of these should be set.
    public var identifierValue: String? = nil

    public var positiveIntValue: UInt64? = nil

    public var negativeIntValue: Int64? = nil

    public var doubleValue: Double? = nil

    public var stringValue: [UInt8]? = nil

    public var aggregateValue: String? = nil

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    /// The name of the uninterpreted option.  Each string represents a segment in
    /// a dot-separated name.  is_extension is true iff a segment represents an
    /// extension (denoted with parentheses in options specs in .proto files).
    /// E.g.,{ ["foo", false], ["bar.baz", true], ["moo", false] } represents
    /// "foo.(bar.baz).moo".
    public struct NamePart: Sendable, Hashable {
        public var namePart: String? = nil

        public var isExtension: Bool? = nil

        /// Fields read from the wire that this schema does not define, kept for re-encoding.
        public var unknownFields = UnknownFields()

        public init() {}
    }
}

/// Encapsulates information about the original source file from which a
/// FileDescriptorProto was generated.
public struct Google_Protobuf_SourceCodeInfo: Sendable, Hashable {
    /// A Location identifies a piece of source code in a .proto file which
    /// corresponds to a particular definition.  This information is intended
    /// to be useful to IDEs, code indexers, documentation generators, and similar
    /// tools.
    ///
    /// For example, say we have a file like:
    ///   message Foo {
    ///     optional string foo = 1;
    ///   }
    /// Let's look at just the field definition:
    ///   optional string foo = 1;
    ///   ^       ^^     ^^  ^  ^^^
    ///   a       bc     de  f  ghi
    /// We have the following locations:
    ///   span   path               represents
    ///   [a,i)  [ 4, 0, 2, 0 ]     The whole field definition.
    ///   [a,b)  [ 4, 0, 2, 0, 4 ]  The label (optional).
    ///   [c,d)  [ 4, 0, 2, 0, 5 ]  The type (string).
    ///   [e,f)  [ 4, 0, 2, 0, 1 ]  The name (foo).
    ///   [g,h)  [ 4, 0, 2, 0, 3 ]  The number (1).
    ///
    /// Notes:
    /// - A location may refer to a repeated field itself (i.e. not to any
    ///   particular index within it).  This is used whenever a set of elements are
    ///   logically enclosed in a single code segment.  For example, an entire
    ///   extend block (possibly containing multiple extension definitions) will
    ///   have an outer location whose path refers to the "extensions" repeated
    ///   field without an index.
    /// - Multiple locations may have the same path.  This happens when a single
    ///   logical declaration is spread out across multiple places.  The most
    ///   obvious example is the "extend" block again -- there may be multiple
    ///   extend blocks in the same scope, each of which will have the same path.
    /// - A location's span is not always a subset of its parent's span.  For
    ///   example, the "extendee" of an extension declaration appears at the
    ///   beginning of the "extend" block and is shared by all extensions within
    ///   the block.
    /// - Just because a location's span is a subset of some other location's span
    ///   does not mean that it is a descendant.  For example, a "group" defines
    ///   both a type and a field in a single declaration.  Thus, the locations
    ///   corresponding to the type and field and their components will overlap.
    /// - Code which tries to interpret locations should probably be designed to
    ///   ignore those that it doesn't understand, as more types of locations could
    ///   be recorded in the future.
    public var location: [Google_Protobuf_SourceCodeInfo.Location] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    public struct Location: Sendable, Hashable {
        /// Identifies which part of the FileDescriptorProto was defined at this
        /// location.
        ///
        /// Each element is a field number or an index.  They form a path from
        /// the root FileDescriptorProto to the place where the definition occurs.
        /// For example, this path:
        ///   [ 4, 3, 2, 7, 1 ]
        /// refers to:
        ///   file.message_type(3)  // 4, 3
        ///       .field(7)         // 2, 7
        ///       .name()           // 1
        /// This is because FileDescriptorProto.message_type has field number 4:
        ///   repeated DescriptorProto message_type = 4;
        /// and DescriptorProto.field has field number 2:
        ///   repeated FieldDescriptorProto field = 2;
        /// and FieldDescriptorProto.name has field number 1:
        ///   optional string name = 1;
        ///
        /// Thus, the above path gives the location of a field name.  If we removed
        /// the last element:
        ///   [ 4, 3, 2, 7 ]
        /// this path refers to the whole field declaration (from the beginning
        /// of the label to the terminating semicolon).
        public var path: [Int32] = []

        /// Always has exactly three or four elements: start line, start column,
        /// end line (optional, otherwise assumed same as start line), end column.
        /// These are packed into a single field for efficiency.  Note that line
        /// and column numbers are zero-based -- typically you will want to add
        /// 1 to each before displaying to a user.
        public var span: [Int32] = []

        /// If this SourceCodeInfo represents a complete declaration, these are any
        /// comments appearing before and after the declaration which appear to be
        /// attached to the declaration.
        ///
        /// A series of line comments appearing on consecutive lines, with no other
        /// tokens appearing on those lines, will be treated as a single comment.
        ///
        /// leading_detached_comments will keep paragraphs of comments that appear
        /// before (but not connected to) the current element. Each paragraph,
        /// separated by empty lines, will be one comment element in the repeated
        /// field.
        ///
        /// Only the comment content is provided; comment markers (e.g. //) are
        /// stripped out.  For block comments, leading whitespace and an asterisk
        /// will be stripped from the beginning of each line other than the first.
        /// Newlines are included in the output.
        ///
        /// Examples:
        ///
        ///   optional int32 foo = 1;  // Comment attached to foo.
        ///   // Comment attached to bar.
        ///   optional int32 bar = 2;
        ///
        ///   optional string baz = 3;
        ///   // Comment attached to baz.
        ///   // Another line attached to baz.
        ///
        ///   // Comment attached to moo.
        ///   //
        ///   // Another line attached to moo.
        ///   optional double moo = 4;
        ///
        ///   // Detached comment for corge. This is not leading or trailing comments
        ///   // to moo or corge because there are blank lines separating it from
        ///   // both.
        ///
        ///   // Detached comment for corge paragraph 2.
        ///
        ///   optional string corge = 5;
        ///   /* Block comment attached
        ///    * to corge.  Leading asterisks
        ///    * will be removed. */
        ///   /* Block comment attached to
        ///    * grault. */
        ///   optional int32 grault = 6;
        ///
        ///   // ignored detached comments.
        public var leadingComments: String? = nil

        public var trailingComments: String? = nil

        public var leadingDetachedComments: [String] = []

        /// Fields read from the wire that this schema does not define, kept for re-encoding.
        public var unknownFields = UnknownFields()

        public init() {}
    }
}

/// Describes the relationship between generated code and its original source
/// file. A GeneratedCodeInfo message is associated with only one generated
/// source file, but may contain references to different source .proto files.
public struct Google_Protobuf_GeneratedCodeInfo: Sendable, Hashable {
    /// An Annotation connects some span of text in generated code to an element
    /// of its generating .proto file.
    public var annotation: [Google_Protobuf_GeneratedCodeInfo.Annotation] = []

    /// Fields read from the wire that this schema does not define, kept for re-encoding.
    public var unknownFields = UnknownFields()

    public init() {}

    public struct Annotation: Sendable, Hashable {
        /// Identifies the element in the original source .proto file. This field
        /// is formatted the same as SourceCodeInfo.Location.path.
        public var path: [Int32] = []

        /// Identifies the filesystem path to the original source .proto.
        public var sourceFile: String? = nil

        /// Identifies the starting offset in bytes in the generated code
        /// that relates to the identified object.
        public var begin: Int32? = nil

        /// Identifies the ending offset in bytes in the generated code that
        /// relates to the identified offset. The end offset should be one past
        /// the last relevant byte (so the length of the text = end - begin).
        public var end: Int32? = nil

        /// Fields read from the wire that this schema does not define, kept for re-encoding.
        public var unknownFields = UnknownFields()

        public init() {}
    }
}

extension Google_Protobuf_FileDescriptorSet: Message {
    public static let protoMessageName = "google.protobuf.FileDescriptorSet"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_FileDescriptorProto>.self, file, field: 1)
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: try reader.readRepeated(FieldType.Message<Google_Protobuf_FileDescriptorProto>.self, tag, into: &file)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        file.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_FileDescriptorProto: Message {
    public static let protoMessageName = "google.protobuf.FileDescriptorProto"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let syntax { writer.write(string: syntax, field: 12) }
        writer.writeRepeated(FieldType.Int32.self, weakDependency, field: 11)
        writer.writeRepeated(FieldType.Int32.self, publicDependency, field: 10)
        if let sourceCodeInfo { writer.write(message: sourceCodeInfo, field: 9) }
        if let options { writer.write(message: options, field: 8) }
        writer.writeRepeated(FieldType.Message<Google_Protobuf_FieldDescriptorProto>.self, `extension`, field: 7)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_ServiceDescriptorProto>.self, service, field: 6)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_EnumDescriptorProto>.self, enumType, field: 5)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_DescriptorProto>.self, messageType, field: 4)
        writer.writeRepeated(FieldType.String.self, dependency, field: 3)
        if let package { writer.write(string: package, field: 2) }
        if let name { writer.write(string: name, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: `package` = try reader.readString(tag)
            case 3: try reader.readRepeated(FieldType.String.self, tag, into: &dependency)
            case 4: try reader.readRepeated(FieldType.Message<Google_Protobuf_DescriptorProto>.self, tag, into: &messageType)
            case 5: try reader.readRepeated(FieldType.Message<Google_Protobuf_EnumDescriptorProto>.self, tag, into: &enumType)
            case 6: try reader.readRepeated(FieldType.Message<Google_Protobuf_ServiceDescriptorProto>.self, tag, into: &service)
            case 7: try reader.readRepeated(FieldType.Message<Google_Protobuf_FieldDescriptorProto>.self, tag, into: &`extension`)
            case 8: try reader.readMessage(tag, into: &options)
            case 9: try reader.readMessage(tag, into: &sourceCodeInfo)
            case 10: try reader.readRepeated(FieldType.Int32.self, tag, into: &publicDependency)
            case 11: try reader.readRepeated(FieldType.Int32.self, tag, into: &weakDependency)
            case 12: syntax = try reader.readString(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        messageType.allSatisfy(\.isInitialized)
            && enumType.allSatisfy(\.isInitialized)
            && service.allSatisfy(\.isInitialized)
            && `extension`.allSatisfy(\.isInitialized)
            && (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_DescriptorProto: Message {
    public static let protoMessageName = "google.protobuf.DescriptorProto"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.String.self, reservedName, field: 10)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_DescriptorProto.ReservedRange>.self, reservedRange, field: 9)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_OneofDescriptorProto>.self, oneofDecl, field: 8)
        if let options { writer.write(message: options, field: 7) }
        writer.writeRepeated(FieldType.Message<Google_Protobuf_FieldDescriptorProto>.self, `extension`, field: 6)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_DescriptorProto.ExtensionRange>.self, extensionRange, field: 5)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_EnumDescriptorProto>.self, enumType, field: 4)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_DescriptorProto>.self, nestedType, field: 3)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_FieldDescriptorProto>.self, field, field: 2)
        if let name { writer.write(string: name, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: try reader.readRepeated(FieldType.Message<Google_Protobuf_FieldDescriptorProto>.self, tag, into: &field)
            case 3: try reader.readRepeated(FieldType.Message<Google_Protobuf_DescriptorProto>.self, tag, into: &nestedType)
            case 4: try reader.readRepeated(FieldType.Message<Google_Protobuf_EnumDescriptorProto>.self, tag, into: &enumType)
            case 5: try reader.readRepeated(FieldType.Message<Google_Protobuf_DescriptorProto.ExtensionRange>.self, tag, into: &extensionRange)
            case 6: try reader.readRepeated(FieldType.Message<Google_Protobuf_FieldDescriptorProto>.self, tag, into: &`extension`)
            case 7: try reader.readMessage(tag, into: &options)
            case 8: try reader.readRepeated(FieldType.Message<Google_Protobuf_OneofDescriptorProto>.self, tag, into: &oneofDecl)
            case 9: try reader.readRepeated(FieldType.Message<Google_Protobuf_DescriptorProto.ReservedRange>.self, tag, into: &reservedRange)
            case 10: try reader.readRepeated(FieldType.String.self, tag, into: &reservedName)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        field.allSatisfy(\.isInitialized)
            && `extension`.allSatisfy(\.isInitialized)
            && nestedType.allSatisfy(\.isInitialized)
            && enumType.allSatisfy(\.isInitialized)
            && extensionRange.allSatisfy(\.isInitialized)
            && oneofDecl.allSatisfy(\.isInitialized)
            && (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_DescriptorProto.ExtensionRange: Message {
    public static let protoMessageName = "google.protobuf.DescriptorProto.ExtensionRange"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let options { writer.write(message: options, field: 3) }
        if let end { writer.write(int32: end, field: 2) }
        if let start { writer.write(int32: start, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: start = try reader.readInt32(tag)
            case 2: end = try reader.readInt32(tag)
            case 3: try reader.readMessage(tag, into: &options)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_DescriptorProto.ReservedRange: Message {
    public static let protoMessageName = "google.protobuf.DescriptorProto.ReservedRange"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let end { writer.write(int32: end, field: 2) }
        if let start { writer.write(int32: start, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: start = try reader.readInt32(tag)
            case 2: end = try reader.readInt32(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension Google_Protobuf_ExtensionRangeOptions: Message {
    public static let protoMessageName = "google.protobuf.ExtensionRangeOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_FieldDescriptorProto: Message {
    public static let protoMessageName = "google.protobuf.FieldDescriptorProto"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let proto3Optional { writer.write(bool: proto3Optional, field: 17) }
        if let jsonName { writer.write(string: jsonName, field: 10) }
        if let oneofIndex { writer.write(int32: oneofIndex, field: 9) }
        if let options { writer.write(message: options, field: 8) }
        if let defaultValue { writer.write(string: defaultValue, field: 7) }
        if let typeName { writer.write(string: typeName, field: 6) }
        if let type { writer.write(enum: type, field: 5) }
        if let label { writer.write(enum: label, field: 4) }
        if let number { writer.write(int32: number, field: 3) }
        if let extendee { writer.write(string: extendee, field: 2) }
        if let name { writer.write(string: name, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: extendee = try reader.readString(tag)
            case 3: number = try reader.readInt32(tag)
            case 4:
                if let value = try reader.readClosedEnum(Google_Protobuf_FieldDescriptorProto.Label.self, tag, unknownFields: &unknownFields) {
                    label = value
                }
            case 5:
                if let value = try reader.readClosedEnum(Google_Protobuf_FieldDescriptorProto.TypeEnum.self, tag, unknownFields: &unknownFields) {
                    type = value
                }
            case 6: typeName = try reader.readString(tag)
            case 7: defaultValue = try reader.readString(tag)
            case 8: try reader.readMessage(tag, into: &options)
            case 9: oneofIndex = try reader.readInt32(tag)
            case 10: jsonName = try reader.readString(tag)
            case 17: proto3Optional = try reader.readBool(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_OneofDescriptorProto: Message {
    public static let protoMessageName = "google.protobuf.OneofDescriptorProto"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let options { writer.write(message: options, field: 2) }
        if let name { writer.write(string: name, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: try reader.readMessage(tag, into: &options)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_EnumDescriptorProto: Message {
    public static let protoMessageName = "google.protobuf.EnumDescriptorProto"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.String.self, reservedName, field: 5)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_EnumDescriptorProto.EnumReservedRange>.self, reservedRange, field: 4)
        if let options { writer.write(message: options, field: 3) }
        writer.writeRepeated(FieldType.Message<Google_Protobuf_EnumValueDescriptorProto>.self, value, field: 2)
        if let name { writer.write(string: name, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: try reader.readRepeated(FieldType.Message<Google_Protobuf_EnumValueDescriptorProto>.self, tag, into: &value)
            case 3: try reader.readMessage(tag, into: &options)
            case 4: try reader.readRepeated(FieldType.Message<Google_Protobuf_EnumDescriptorProto.EnumReservedRange>.self, tag, into: &reservedRange)
            case 5: try reader.readRepeated(FieldType.String.self, tag, into: &reservedName)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        value.allSatisfy(\.isInitialized)
            && (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_EnumDescriptorProto.EnumReservedRange: Message {
    public static let protoMessageName = "google.protobuf.EnumDescriptorProto.EnumReservedRange"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let end { writer.write(int32: end, field: 2) }
        if let start { writer.write(int32: start, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: start = try reader.readInt32(tag)
            case 2: end = try reader.readInt32(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension Google_Protobuf_EnumValueDescriptorProto: Message {
    public static let protoMessageName = "google.protobuf.EnumValueDescriptorProto"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let options { writer.write(message: options, field: 3) }
        if let number { writer.write(int32: number, field: 2) }
        if let name { writer.write(string: name, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: number = try reader.readInt32(tag)
            case 3: try reader.readMessage(tag, into: &options)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_ServiceDescriptorProto: Message {
    public static let protoMessageName = "google.protobuf.ServiceDescriptorProto"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let options { writer.write(message: options, field: 3) }
        writer.writeRepeated(FieldType.Message<Google_Protobuf_MethodDescriptorProto>.self, method, field: 2)
        if let name { writer.write(string: name, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: try reader.readRepeated(FieldType.Message<Google_Protobuf_MethodDescriptorProto>.self, tag, into: &method)
            case 3: try reader.readMessage(tag, into: &options)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        method.allSatisfy(\.isInitialized)
            && (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_MethodDescriptorProto: Message {
    public static let protoMessageName = "google.protobuf.MethodDescriptorProto"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let serverStreaming { writer.write(bool: serverStreaming, field: 6) }
        if let clientStreaming { writer.write(bool: clientStreaming, field: 5) }
        if let options { writer.write(message: options, field: 4) }
        if let outputType { writer.write(string: outputType, field: 3) }
        if let inputType { writer.write(string: inputType, field: 2) }
        if let name { writer.write(string: name, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: inputType = try reader.readString(tag)
            case 3: outputType = try reader.readString(tag)
            case 4: try reader.readMessage(tag, into: &options)
            case 5: clientStreaming = try reader.readBool(tag)
            case 6: serverStreaming = try reader.readBool(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        (options?.isInitialized ?? true)
    }
}

extension Google_Protobuf_FileOptions: Message {
    public static let protoMessageName = "google.protobuf.FileOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
        if let rubyPackage { writer.write(string: rubyPackage, field: 45) }
        if let phpMetadataNamespace { writer.write(string: phpMetadataNamespace, field: 44) }
        if let phpGenericServices { writer.write(bool: phpGenericServices, field: 42) }
        if let phpNamespace { writer.write(string: phpNamespace, field: 41) }
        if let phpClassPrefix { writer.write(string: phpClassPrefix, field: 40) }
        if let swiftPrefix { writer.write(string: swiftPrefix, field: 39) }
        if let csharpNamespace { writer.write(string: csharpNamespace, field: 37) }
        if let objcClassPrefix { writer.write(string: objcClassPrefix, field: 36) }
        if let ccEnableArenas { writer.write(bool: ccEnableArenas, field: 31) }
        if let javaStringCheckUtf8 { writer.write(bool: javaStringCheckUtf8, field: 27) }
        if let deprecated { writer.write(bool: deprecated, field: 23) }
        if let javaGenerateEqualsAndHash { writer.write(bool: javaGenerateEqualsAndHash, field: 20) }
        if let pyGenericServices { writer.write(bool: pyGenericServices, field: 18) }
        if let javaGenericServices { writer.write(bool: javaGenericServices, field: 17) }
        if let ccGenericServices { writer.write(bool: ccGenericServices, field: 16) }
        if let goPackage { writer.write(string: goPackage, field: 11) }
        if let javaMultipleFiles { writer.write(bool: javaMultipleFiles, field: 10) }
        if let optimizeFor { writer.write(enum: optimizeFor, field: 9) }
        if let javaOuterClassname { writer.write(string: javaOuterClassname, field: 8) }
        if let javaPackage { writer.write(string: javaPackage, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: javaPackage = try reader.readString(tag)
            case 8: javaOuterClassname = try reader.readString(tag)
            case 9:
                if let value = try reader.readClosedEnum(Google_Protobuf_FileOptions.OptimizeMode.self, tag, unknownFields: &unknownFields) {
                    optimizeFor = value
                }
            case 10: javaMultipleFiles = try reader.readBool(tag)
            case 11: goPackage = try reader.readString(tag)
            case 16: ccGenericServices = try reader.readBool(tag)
            case 17: javaGenericServices = try reader.readBool(tag)
            case 18: pyGenericServices = try reader.readBool(tag)
            case 20: javaGenerateEqualsAndHash = try reader.readBool(tag)
            case 23: deprecated = try reader.readBool(tag)
            case 27: javaStringCheckUtf8 = try reader.readBool(tag)
            case 31: ccEnableArenas = try reader.readBool(tag)
            case 36: objcClassPrefix = try reader.readString(tag)
            case 37: csharpNamespace = try reader.readString(tag)
            case 39: swiftPrefix = try reader.readString(tag)
            case 40: phpClassPrefix = try reader.readString(tag)
            case 41: phpNamespace = try reader.readString(tag)
            case 42: phpGenericServices = try reader.readBool(tag)
            case 44: phpMetadataNamespace = try reader.readString(tag)
            case 45: rubyPackage = try reader.readString(tag)
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_MessageOptions: Message {
    public static let protoMessageName = "google.protobuf.MessageOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
        if let mapEntry { writer.write(bool: mapEntry, field: 7) }
        if let deprecated { writer.write(bool: deprecated, field: 3) }
        if let noStandardDescriptorAccessor { writer.write(bool: noStandardDescriptorAccessor, field: 2) }
        if let messageSetWireFormat { writer.write(bool: messageSetWireFormat, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: messageSetWireFormat = try reader.readBool(tag)
            case 2: noStandardDescriptorAccessor = try reader.readBool(tag)
            case 3: deprecated = try reader.readBool(tag)
            case 7: mapEntry = try reader.readBool(tag)
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_FieldOptions: Message {
    public static let protoMessageName = "google.protobuf.FieldOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
        if let unverifiedLazy { writer.write(bool: unverifiedLazy, field: 15) }
        if let weak { writer.write(bool: weak, field: 10) }
        if let jstype { writer.write(enum: jstype, field: 6) }
        if let lazy { writer.write(bool: lazy, field: 5) }
        if let deprecated { writer.write(bool: deprecated, field: 3) }
        if let packed { writer.write(bool: packed, field: 2) }
        if let ctype { writer.write(enum: ctype, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1:
                if let value = try reader.readClosedEnum(Google_Protobuf_FieldOptions.CType.self, tag, unknownFields: &unknownFields) {
                    ctype = value
                }
            case 2: packed = try reader.readBool(tag)
            case 3: deprecated = try reader.readBool(tag)
            case 5: lazy = try reader.readBool(tag)
            case 6:
                if let value = try reader.readClosedEnum(Google_Protobuf_FieldOptions.JSType.self, tag, unknownFields: &unknownFields) {
                    jstype = value
                }
            case 10: weak = try reader.readBool(tag)
            case 15: unverifiedLazy = try reader.readBool(tag)
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_OneofOptions: Message {
    public static let protoMessageName = "google.protobuf.OneofOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_EnumOptions: Message {
    public static let protoMessageName = "google.protobuf.EnumOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
        if let deprecated { writer.write(bool: deprecated, field: 3) }
        if let allowAlias { writer.write(bool: allowAlias, field: 2) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 2: allowAlias = try reader.readBool(tag)
            case 3: deprecated = try reader.readBool(tag)
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_EnumValueOptions: Message {
    public static let protoMessageName = "google.protobuf.EnumValueOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
        if let deprecated { writer.write(bool: deprecated, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: deprecated = try reader.readBool(tag)
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_ServiceOptions: Message {
    public static let protoMessageName = "google.protobuf.ServiceOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
        if let deprecated { writer.write(bool: deprecated, field: 33) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 33: deprecated = try reader.readBool(tag)
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_MethodOptions: Message {
    public static let protoMessageName = "google.protobuf.MethodOptions"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, uninterpretedOption, field: 999)
        if let idempotencyLevel { writer.write(enum: idempotencyLevel, field: 34) }
        if let deprecated { writer.write(bool: deprecated, field: 33) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 33: deprecated = try reader.readBool(tag)
            case 34:
                if let value = try reader.readClosedEnum(Google_Protobuf_MethodOptions.IdempotencyLevel.self, tag, unknownFields: &unknownFields) {
                    idempotencyLevel = value
                }
            case 999: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption>.self, tag, into: &uninterpretedOption)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        uninterpretedOption.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_UninterpretedOption: Message {
    public static let protoMessageName = "google.protobuf.UninterpretedOption"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let aggregateValue { writer.write(string: aggregateValue, field: 8) }
        if let stringValue { writer.write(bytes: stringValue, field: 7) }
        if let doubleValue { writer.write(double: doubleValue, field: 6) }
        if let negativeIntValue { writer.write(int64: negativeIntValue, field: 5) }
        if let positiveIntValue { writer.write(uint64: positiveIntValue, field: 4) }
        if let identifierValue { writer.write(string: identifierValue, field: 3) }
        writer.writeRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption.NamePart>.self, name, field: 2)
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 2: try reader.readRepeated(FieldType.Message<Google_Protobuf_UninterpretedOption.NamePart>.self, tag, into: &name)
            case 3: identifierValue = try reader.readString(tag)
            case 4: positiveIntValue = try reader.readUInt64(tag)
            case 5: negativeIntValue = try reader.readInt64(tag)
            case 6: doubleValue = try reader.readDouble(tag)
            case 7: stringValue = try reader.readBytes(tag)
            case 8: aggregateValue = try reader.readString(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        name.allSatisfy(\.isInitialized)
    }
}

extension Google_Protobuf_UninterpretedOption.NamePart: Message {
    public static let protoMessageName = "google.protobuf.UninterpretedOption.NamePart"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let isExtension { writer.write(bool: isExtension, field: 2) }
        if let namePart { writer.write(string: namePart, field: 1) }
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: namePart = try reader.readString(tag)
            case 2: isExtension = try reader.readBool(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    public var isInitialized: Bool {
        namePart != nil
            && isExtension != nil
    }
}

extension Google_Protobuf_SourceCodeInfo: Message {
    public static let protoMessageName = "google.protobuf.SourceCodeInfo"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_SourceCodeInfo.Location>.self, location, field: 1)
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: try reader.readRepeated(FieldType.Message<Google_Protobuf_SourceCodeInfo.Location>.self, tag, into: &location)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension Google_Protobuf_SourceCodeInfo.Location: Message {
    public static let protoMessageName = "google.protobuf.SourceCodeInfo.Location"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.String.self, leadingDetachedComments, field: 6)
        if let trailingComments { writer.write(string: trailingComments, field: 4) }
        if let leadingComments { writer.write(string: leadingComments, field: 3) }
        writer.writePacked(FieldType.Int32.self, span, field: 2)
        writer.writePacked(FieldType.Int32.self, path, field: 1)
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: try reader.readRepeated(FieldType.Int32.self, tag, into: &path)
            case 2: try reader.readRepeated(FieldType.Int32.self, tag, into: &span)
            case 3: leadingComments = try reader.readString(tag)
            case 4: trailingComments = try reader.readString(tag)
            case 6: try reader.readRepeated(FieldType.String.self, tag, into: &leadingDetachedComments)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension Google_Protobuf_GeneratedCodeInfo: Message {
    public static let protoMessageName = "google.protobuf.GeneratedCodeInfo"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.Message<Google_Protobuf_GeneratedCodeInfo.Annotation>.self, annotation, field: 1)
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: try reader.readRepeated(FieldType.Message<Google_Protobuf_GeneratedCodeInfo.Annotation>.self, tag, into: &annotation)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

extension Google_Protobuf_GeneratedCodeInfo.Annotation: Message {
    public static let protoMessageName = "google.protobuf.GeneratedCodeInfo.Annotation"

    public func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let end { writer.write(int32: end, field: 4) }
        if let begin { writer.write(int32: begin, field: 3) }
        if let sourceFile { writer.write(string: sourceFile, field: 2) }
        writer.writePacked(FieldType.Int32.self, path, field: 1)
    }

    public mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: try reader.readRepeated(FieldType.Int32.self, tag, into: &path)
            case 2: sourceFile = try reader.readString(tag)
            case 3: begin = try reader.readInt32(tag)
            case 4: end = try reader.readInt32(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
