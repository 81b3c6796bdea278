/// Field numbers of descriptor.proto, the steps of `SourceCodeInfo` paths: the parser records
/// locations with them and the linker rewrites option paths with them.
enum DescriptorPath {
    enum File {
        static let package: Int32 = 2
        static let dependency: Int32 = 3
        static let messageType: Int32 = 4
        static let enumType: Int32 = 5
        static let service: Int32 = 6
        static let `extension`: Int32 = 7
        static let options: Int32 = 8
        static let publicDependency: Int32 = 10
        static let weakDependency: Int32 = 11
        static let syntax: Int32 = 12
    }

    enum Message {
        static let name: Int32 = 1
        static let field: Int32 = 2
        static let nestedType: Int32 = 3
        static let enumType: Int32 = 4
        static let extensionRange: Int32 = 5
        static let `extension`: Int32 = 6
        static let options: Int32 = 7
        static let oneofDecl: Int32 = 8
        static let reservedRange: Int32 = 9
        static let reservedName: Int32 = 10
    }

    enum Field {
        static let name: Int32 = 1
        static let extendee: Int32 = 2
        static let number: Int32 = 3
        static let label: Int32 = 4
        static let type: Int32 = 5
        static let typeName: Int32 = 6
        static let defaultValue: Int32 = 7
        static let options: Int32 = 8
        static let jsonName: Int32 = 10
    }

    enum Enum {
        static let name: Int32 = 1
        static let value: Int32 = 2
        static let options: Int32 = 3
        static let reservedRange: Int32 = 4
        static let reservedName: Int32 = 5
    }

    enum Range {
        static let start: Int32 = 1
        static let end: Int32 = 2
        static let options: Int32 = 3
    }

    enum EnumValue {
        static let name: Int32 = 1
        static let number: Int32 = 2
        static let options: Int32 = 3
    }

    enum Service {
        static let name: Int32 = 1
        static let method: Int32 = 2
        static let options: Int32 = 3
    }

    enum Method {
        static let name: Int32 = 1
        static let inputType: Int32 = 2
        static let outputType: Int32 = 3
        static let options: Int32 = 4
    }

    enum Oneof {
        static let name: Int32 = 1
        static let options: Int32 = 2
    }

    /// `uninterpreted_option` in every options message.
    static let uninterpretedOption: Int32 = 999
}
