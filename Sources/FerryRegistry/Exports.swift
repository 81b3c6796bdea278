// FerryRegistry is the registry itself (stores, compatibility, the schema parser and printer) on top
// of FerryRegistryClient's model and client, which every user of the registry also needs: re-exported
// so that `import FerryRegistry` is enough on the server side.
@_exported public import FerryRegistryClient
