import Dataset
import Foundation
import Support

/// Loads and checks the training data a config names, before any work starts.
enum TrainingData {
    static func prepare(_ c: TrainingConfig, source: String, say: (String) -> Void) throws -> FaceDataset {
        let prepared = try FaceDataset.prepare(
            DatasetSelection(
                root: c.dataDir, include: c.include, exclude: c.exclude, validationFraction: c.validationFraction,
                seed: c.seed))
        for message in prepared.messages { say(message) }
        let dataset = prepared.train
        let singles = dataset.singleImageIdentities.count
        say("training data: \(dataset.identityCount) identities, \(dataset.imageCount) images"
            + (singles > 0 ? " (\(singles) identities with one image: negatives only)" : ""))
        return dataset
    }

    static func checkBatchShape(_ c: TrainingConfig, dataset: FaceDataset) throws {
        if c.mode == .inBatch && c.peoplePerBatch * c.imagesPerPerson > 360 {
            throw UserError(
                "in-batch mode back-propagates through the whole outer batch: people_per_batch x images_per_person = "
                    + "\(c.peoplePerBatch * c.imagesPerPerson) images would not fit in memory; keep it at 360 or less")
        }
    }
}
