// The types in this module are generated from Schemas/shop/v1/shop.proto by Ferry's build-tool
// plugin while the module builds (see ferry.json); nothing generated is committed.
@_exported import FerryCodec
