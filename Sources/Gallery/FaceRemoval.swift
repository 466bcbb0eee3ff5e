import GRDB
import Support

extension SQLiteGallery {
    /// Removes one face of `name` by its id (an identity left without faces stays, with none); a face that is
    /// not `name`'s is an error naming both.
    public func removeFace(_ id: Int64, of name: String) throws {
        try write { db in
            guard let identity = try Identity.filter(Column("name") == name).fetchOne(db) else {
                throw UserError("\(self.path) has no identity named '\(name)'")
            }
            guard try StoredFace.filter(Column("id") == id && Column("identity_id") == identity.id).deleteAll(db) > 0 else {
                throw UserError("'\(name)' has no face with id \(id)")
            }
        }
        try checkpoint()  // the removed face's earlier page images leave the log (secure_delete zeroes the file's)
    }
}
