import Models
import TorchBridge
import TripletMining

/// Every setting of a training run. YAML field names are the snake_case of these properties
/// (`people_per_batch`); each has a default, so a config names only what it changes. Defaults follow
/// davidsandberg/facenet `src/train_tripletloss.py` where it has the setting (cited per field).
public struct TrainingConfig: Codable, Equatable, Sendable {
    // MARK: data
    /// Folder of aligned faces, `<identity>/<image>`.
    public var dataDir: String = ""
    /// Identity list files (`name` or `name<TAB>count` lines) to keep / to leave out.
    public var include: String? = nil
    public var exclude: String? = nil
    /// Fraction of identities held out for validation by identity (0: none).
    public var validationFraction: Double = 0
    /// Side of the crops on disk; training crops `imageSize` at random from it (182 -> 160 in the reference).
    public var storedSize: Int = 160
    /// Model input side (`--image_size` 160).
    public var imageSize: Int = 160
    public var randomCrop: Bool = true
    public var randomFlip: Bool = true
    /// Maximum relative brightness / contrast change (0: off).
    public var brightness: Double = 0
    public var contrast: Double = 0

    // MARK: model
    /// The network (`Backbone`); a checkpoint records its own.
    public var backbone: Backbone = .inceptionResNetV1
    /// `pretrained` (the imported 20170512-110547), `scratch`, or a checkpoint path.
    public var initFrom: String = "scratch"
    public var embeddingSize: Int = 128
    /// Units of the dense layer before the embedding, in backbones that have one (Inception-ResNet-v2).
    public var hiddenSize: Int = 512
    /// Dropout before the bottleneck (`--keep_probability` 1.0 -> 0).
    public var dropout: Double = 0
    /// Freeze every layer up to and including this module path (e.g. `mixed_6a`); nil trains all.
    public var freezeUntil: String? = nil
    /// Batch statistics while training, running averages updated (`BatchNormMode`).
    public var batchNorm: BatchNormMode = .train

    // MARK: sampling and mining
    /// `--people_per_batch` 45 and `--images_per_person` 40.
    public var peoplePerBatch: Int = 45
    public var imagesPerPerson: Int = 40
    /// Two-pass (the reference) or in-batch (`TrainingMode`).
    public var mode: TrainingMode = .twoPass
    /// Faces per forward pass in two-pass mode, a multiple of 3 (`--batch_size` 90).
    public var batchSize: Int = 90
    /// davidsandberg's selection rule (`margin`) by default.
    public var miner: MinerKind = .margin
    /// One qualifying negative per pair at random, the reference (`SelectionPolicy`).
    public var policy: SelectionPolicy = .randomNegative
    /// Triplet margin alpha (`--alpha` 0.2).
    public var margin: Double = 0.2
    /// The most triplets one outer batch may give: the miner's bound for people_per_batch x images_per_person
    /// images must stay under it (checked before any work) and mining stops there. A triplet costs 24 bytes
    /// in memory and in the checkpoint, and a step trains batch_size / 3 of them.
    public var maxTriplets: Int = 1_000_000
    /// The mean over all triplets, zeros included, as the reference (`Reduction`).
    public var reduction: Reduction = .mean

    // MARK: optimisation
    /// Adagrad, the reference's default (`OptimizerKind`).
    public var optimizer: OptimizerKind = .adagrad
    /// `--learning_rate` 0.1.
    public var learningRate: Double = 0.1
    /// A different learning rate for the model's head (`FaceEmbeddingModel.head`: Inception-ResNet-v1's
    /// `last_linear`, `last_bn`); nil: the same.
    public var headLearningRate: Double? = nil
    /// `ScheduleKind`.
    public var lrSchedule: ScheduleKind = .constant
    /// Step schedule: multiply by `lrDecayFactor` every `lrDecayEpochs` epochs (reference: 100 and 1.0).
    public var lrDecayEpochs: Int = 100
    public var lrDecayFactor: Double = 1.0
    /// `epoch: lr` lines, as the reference's `--learning_rate_schedule_file`.
    public var lrScheduleFile: String? = nil
    /// L2 regularisation of the weights (`--weight_decay` 0).
    public var weightDecay: Double = 0
    /// Exponential moving average of the weights (`--moving_average_decay` 0.9999).
    public var emaDecay: Double = 0.9999
    /// Clip the gradient norm (0: off).
    public var gradClip: Double = 0

    // MARK: run
    /// Outer batches per epoch (`--epoch_size` 1000).
    public var epochSize: Int = 1000
    /// Stop after this many epochs, steps (optimizer steps) or minutes; 0 means no limit of that kind.
    public var maxEpochs: Int = 500
    public var maxSteps: Int = 0
    public var maxMinutes: Double = 0
    public var runDir: String = "runs/train"
    public var checkpointEvery: Int = 100
    public var validateEvery: Int = 200
    /// Pairs file and aligned folder for validation during training (e.g. LFW pairsDevTest.txt).
    public var validationPairs: String? = nil
    public var validationDir: String? = nil
    /// `--seed` 666.
    public var seed: UInt64 = 666
    /// NaN / Inf losses tolerated (each restores the last good checkpoint) before giving up.
    public var nanLimit: Int = 3
    public var threads: Int? = nil
    /// NHWC memory for weights and batches: libtorch's faster CPU convolution kernels (+8% per training
    /// step here, docs/benchmarks.md); the numbers are the same up to float rounding.
    public var channelsLast: Bool = true
    /// The arithmetic of forward and backward passes (`Precision`); none: `$FACENET_PRECISION`, else bf16
    /// where the CPU has bfloat16 instructions and fp32 elsewhere (`Precision.choose`).
    public var precision: Precision? = nil
    /// Record libtorch's operators over this many outer batches after the first two (warm-up) and write
    /// `run_dir/profile.txt`: time per operator, to compare with torch.autograd.profiler (0: off).
    public var profileBatches: Int = 0

    public init() {}
}
