import Support

/// Purposes that keep streams derived from one seed independent.
enum StreamPurpose: UInt64 {
    case sampler = 1
    case augmentation = 2
    case split = 3
}
