/// Public: the table hands out FerryCodec's message, enum and field descriptors.
public import FerryCodec

/// Every name defined by the files linked so far, shared by all files of one compilation.
///
/// protoc builds all files of a run into one pool, so a name defined twice in two files of the
/// same package is an error even when neither file imports the other. The table also keeps the
/// (partly) linked messages, enums and extensions, which later files need to check extension
/// numbers, enum defaults and custom options.
public struct SymbolTable: Sendable {
    /// What kind of element a fully-qualified name denotes.
    public enum Kind: Sendable, Hashable {
        case package, message, enumType, enumValue, field, oneof, service, method

        /// Whether names can be looked up inside this element (`Outer.Inner`).
        var isAggregate: Bool {
            switch self {
            case .package, .message, .enumType, .service: true
            default: false
            }
        }

        /// Whether the element can be a field's type.
        var isType: Bool { self == .message || self == .enumType }
    }

    /// One defined name.
    public struct Symbol: Sendable, Hashable {
        /// What the name denotes.
        public var kind: Kind
        /// The file that defined it (for packages, the first file seen with that package).
        public var file: String
        /// For fields, whether the field is an extension.
        public var isExtension: Bool = false
    }

    /// Symbols by fully-qualified name without a leading dot.
    public var symbols: [String: Symbol] { symbolsByName.values }
    private var symbolsByName = Journaled<String, Symbol>()
    /// Each file's package ("" for none).
    var packageOfFile = Journaled<String, String>()
    /// Each file's `optimize_for`, once its options are interpreted.
    var optimizeForOfFile = Journaled<String, Google_Protobuf_FileOptions.OptimizeMode>()
    /// Each file's syntax ("proto2" or "proto3").
    var syntaxOfFile = Journaled<String, String>()
    /// Messages by fully-qualified name, linked once their file is linked.
    var messages = Journaled<String, Google_Protobuf_DescriptorProto>()
    /// The file each message was defined in.
    var fileOfMessage = Journaled<String, String>()
    /// Enums by fully-qualified name.
    var enums = Journaled<String, Google_Protobuf_EnumDescriptorProto>()
    /// The file each enum was defined in.
    var fileOfEnum = Journaled<String, String>()
    /// Extensions by fully-qualified name (linked).
    var extensions = Journaled<String, Google_Protobuf_FieldDescriptorProto>()
    /// Extensions by extendee full name, then number, as the extension's full name.
    var extensionsByExtendee = Journaled<String, [Int32: String]>()
    /// The file each extension was defined in.
    var fileOfExtension = Journaled<String, String>()

    /// Creates an empty table.
    public init() {}

    /// Looks a fully-qualified name (no leading dot) up, ignoring which files may see it.
    public func symbol(named name: String) -> Symbol? { symbolsByName[name] }

    /// The linked message with fully-qualified name `name` (no leading dot), if any.
    public func message(named name: String) -> Google_Protobuf_DescriptorProto? { messages[name] }

    /// The linked enum with fully-qualified name `name` (no leading dot), if any.
    public func enumType(named name: String) -> Google_Protobuf_EnumDescriptorProto? { enums[name] }

    /// The linked extension with fully-qualified name `name` (no leading dot), if any.
    public func extensionField(named name: String) -> Google_Protobuf_FieldDescriptorProto? { extensions[name] }

    /// The extensions of the message `extendee` (fully-qualified, no leading dot), by number.
    public func extensions(of extendee: String) -> [Int32: Google_Protobuf_FieldDescriptorProto] {
        (extensionsByExtendee[extendee] ?? [:]).compactMapValues { extensions[$0] }
    }

    /// The file that defines `name` (a message, enum, extension or any other symbol).
    public func file(defining name: String) -> String? { symbolsByName[name]?.file }

    /// Adds a symbol; returns the existing one instead when the name is taken.
    mutating func add(_ name: String, _ symbol: Symbol) -> Symbol? {
        if let existing = symbolsByName[name] { return existing }
        symbolsByName[name] = symbol
        return nil
    }

    /// Starts recording writes so that `rollBack()` can undo them: the linker links each file into
    /// the one shared table and takes a failed file's names out again, as protoc's pool does.
    ///
    /// Undoing is what lets the table be shared: a copy per file (to throw away on failure) costs
    /// time in proportion to every name linked so far, which made linking N files take N² time.
    mutating func beginFile() {
        symbolsByName.begin()
        packageOfFile.begin()
        optimizeForOfFile.begin()
        syntaxOfFile.begin()
        messages.begin()
        fileOfMessage.begin()
        enums.begin()
        fileOfEnum.begin()
        extensions.begin()
        extensionsByExtendee.begin()
        fileOfExtension.begin()
    }

    /// Undoes every write since `beginFile()`.
    mutating func rollBack() {
        symbolsByName.rollBack()
        packageOfFile.rollBack()
        optimizeForOfFile.rollBack()
        syntaxOfFile.rollBack()
        messages.rollBack()
        fileOfMessage.rollBack()
        enums.rollBack()
        fileOfEnum.rollBack()
        extensions.rollBack()
        extensionsByExtendee.rollBack()
        fileOfExtension.rollBack()
    }

    /// Whether `file`'s package is `name` or lies inside it.
    func file(_ file: String, isInPackage name: String) -> Bool {
        guard let package = packageOfFile[file] else { return false }
        return package == name || (package.hasPrefix(name) && package.dropFirst(name.count).first == ".")
    }
}

/// A dictionary that remembers the values its writes replaced since `begin()`, so that
/// `rollBack()` can restore them: undo in proportion to the writes, not to the dictionary's size.
struct Journaled<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The current contents.
    private(set) var values: [Key: Value] = [:]
    /// Each write's key and the value it replaced, oldest first.
    private var undo: [(key: Key, previous: Value?)] = []

    /// The value for `key`; setting it records the value it replaces.
    subscript(key: Key) -> Value? {
        get { values[key] }
        set {
            undo.append((key, values[key]))
            values[key] = newValue
        }
    }

    /// The value for `key`, or `defaultValue` when there is none; setting it records as above.
    subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get { values[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// Forgets the recorded writes: what is written now is what `rollBack()` returns to.
    mutating func begin() { undo.removeAll(keepingCapacity: true) }

    /// Restores the values the writes since `begin()` replaced, newest write first.
    mutating func rollBack() {
        for write in undo.reversed() { values[write.key] = write.previous }
        undo.removeAll(keepingCapacity: true)
    }
}
