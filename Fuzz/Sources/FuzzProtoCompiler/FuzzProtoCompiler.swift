import FerryCodec
import FerrySchema
import Foundation

/// libFuzzer entry point: the input is the text of `fuzz/input.proto`, compiled by
/// ``Compiler`` as `ferry descriptors` compiles a file: from an import path on disk (a temporary
/// directory made once per process), with Ferry's well-known protos after it, so imports of
/// `google/protobuf/*.proto` resolve and options can be interpreted.
///
/// Checked, besides "no crash, no leak": every diagnostic renders with its excerpt; a file that
/// compiles without errors gives a descriptor set (with source info) that encodes, decodes back
/// to an equal set, and loads again through ``Compiler/load(_:requested:)`` without errors.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer guarantees `data` points to `size` readable bytes for the duration of
    // this call; they are copied into an array here and the pointer is not used afterwards.
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try Data(bytes).write(to: workspace.input)
    } catch {
        fatalError("cannot write the input file: \(error)")
    }
    let result = workspace.compiler.compile(files: [workspace.name])

    let renderer = DiagnosticRenderer()
    let source = SourceFile(name: workspace.name, bytes: bytes)
    for diagnostic in result.diagnostics {
        _ = renderer.render(diagnostic, excerptFrom: source)
    }
    guard !result.hasErrors else { return 0 }

    let set = result.descriptorSet(includeImports: true, includeSourceInfo: true)
    let encoded = set.serializedBytes()
    let decoded: Google_Protobuf_FileDescriptorSet
    do {
        decoded = try Google_Protobuf_FileDescriptorSet(serializedBytes: encoded)
    } catch {
        fatalError("the compiled descriptor set does not decode: \(error)")
    }
    guard decoded == set || decoded.serializedBytes() == encoded else {
        fatalError("the compiled descriptor set changed in a round trip")
    }
    let reloaded = Compiler.load(set, requested: [workspace.name])
    if reloaded.hasErrors {
        fatalError("a file that compiled does not load as descriptors:\n\(renderer.render(reloaded.diagnostics))")
    }
    return 0
}

/// The temporary import root holding the input file, and the compiler that reads from it.
private struct Workspace {
    let name = "fuzz/input.proto"
    let input: URL
    let compiler: Compiler

    init() {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-fuzz-proto-\(ProcessInfo.processInfo.processIdentifier)")
        let directory = root.appendingPathComponent("fuzz")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            fatalError("cannot create \(directory.path): \(error)")
        }
        input = directory.appendingPathComponent("input.proto")
        compiler = Compiler(importPaths: [root.path] + (Compiler.wellKnownImportPath.map { [$0] } ?? []))
    }
}

private let workspace = Workspace()
