/// Public: a `BreakingInput`'s files are FerryCodec's `FileDescriptorProto`s.
public import FerryCodec

/// Finds the changes between two versions of a schema module that break its users, by buf's
/// rules and categories.
///
/// ```swift
/// let old = Compiler(importPaths: ["main/protos"]).compile(files: ["acme/v1/order.proto"])
/// let new = Compiler(importPaths: ["protos"]).compile(files: ["acme/v1/order.proto"])
/// let violations = BreakingChecker(category: .wire).check(BreakingInput(new), against: BreakingInput(old))
/// ```
///
/// Elements are paired as buf pairs them: files by path, messages, enums and services by full
/// name (so a type may move between files), fields and enum values by number, methods by name,
/// extensions by extendee and number. docs/compatibility.md lists every rule, its categories and
/// the one place Ferry deliberately differs from buf (an enum and a varint integer are
/// wire-compatible in WIRE).
public struct BreakingChecker: Sendable {
    /// The category whose rules run.
    public var category: BreakingCategory

    /// A checker applying `category`'s rules (FILE, buf's default, when not given).
    public init(category: BreakingCategory = .file) {
        self.category = category
    }

    /// The rules this checker applies.
    public var rules: [BreakingRule] { BreakingRule.rules(of: category) }

    /// Every violation of this checker's rules when `old` is replaced by `new`, sorted by file,
    /// position and rule.
    public func check(_ new: BreakingInput, against old: BreakingInput) -> [BreakingViolation] {
        var run = BreakingRun(
            old: BreakingImage(files: old.files, checked: old.checkedFiles),
            new: BreakingImage(files: new.files, checked: new.checkedFiles),
            category: category
        )
        run.checkFiles()
        run.checkPackages()
        run.checkEnums()
        run.checkMessages()
        run.checkExtensions()
        run.checkServices()
        return run.violations.sorted { a, b in
            (a.path, a.line ?? 0, a.column ?? 0, a.rule.id, a.message) < (
                b.path, b.line ?? 0, b.column ?? 0, b.rule.id, b.message
            )
        }
    }
}

/// One side of a breaking-change check: the module's files (compared) and the files they import
/// (used only to resolve types).
public struct BreakingInput: Sendable {
    /// Every file: the module's own and their imports, each once.
    public var files: [Google_Protobuf_FileDescriptorProto]
    /// The names of the module's own files, the ones compared.
    public var checkedFiles: Set<String>

    /// An input of `files`, of which those named in `checkedFiles` are compared.
    public init(files: [Google_Protobuf_FileDescriptorProto], checkedFiles: Set<String>) {
        self.files = files
        self.checkedFiles = checkedFiles
    }

    /// The files a compiler run was asked for, compared, with their imports.
    public init(_ result: CompilationResult) {
        self.init(files: result.files, checkedFiles: Set(result.requestedFiles))
    }
}

/// The state of one check: both images, the category, and the violations found so far.
struct BreakingRun {
    let old: BreakingImage
    let new: BreakingImage
    let category: BreakingCategory
    private(set) var violations: [BreakingViolation] = []

    init(old: BreakingImage, new: BreakingImage, category: BreakingCategory) {
        self.old = old
        self.new = new
        self.category = category
    }

    /// Whether `rule` runs in this check.
    func applies(_ rule: BreakingRule) -> Bool { rule.categories.contains(category) }

    /// Records a violation of `rule` located at `sourcePath` in the file at `fileIndex` of `image`
    /// (the new image unless the element is gone).
    mutating func report(
        _ rule: BreakingRule,
        in image: BreakingImage,
        fileIndex: Int,
        at sourcePath: [Int32]?,
        _ message: String
    ) {
        guard applies(rule) else { return }
        let file = image.files[fileIndex]
        let position = sourcePath.flatMap { Self.position(of: $0, in: file.descriptor) }
        violations.append(
            BreakingViolation(
                rule: rule,
                path: file.path,
                line: position?.line,
                column: position?.column,
                message: message
            )
        )
    }

    /// Records a violation that has a file but no element to point at.
    mutating func report(_ rule: BreakingRule, path: String, _ message: String) {
        guard applies(rule) else { return }
        violations.append(BreakingViolation(rule: rule, path: path, message: message))
    }

    /// The 1-based line and column where source info places the element at `path`.
    private static func position(
        of path: [Int32],
        in file: Google_Protobuf_FileDescriptorProto
    ) -> (line: Int, column: Int)? {
        guard let location = file.sourceCodeInfo?.location.first(where: { $0.path == path }), location.span.count >= 2
        else {
            return nil
        }
        return (Int(location.span[0]) + 1, Int(location.span[1]) + 1)
    }
}
