import Foundation
import Support
import TripletMining

/// The run's progress lines: at most one every 5 s with the loss, the mining statistics, the rate over
/// the last 20 steps, the elapsed time and the ETA of whichever limit is set; and one per validation.
final class ProgressReporter {
    let config: TrainingConfig
    let started: Date
    let say: (String) -> Void
    private var last = Date.distantPast

    init(config: TrainingConfig, started: Date, say: @escaping (String) -> Void) {
        self.config = config
        self.started = started
        self.say = say
    }

    func stepDone(_ step: Int, epoch: Int, loss: Double, stats: TripletStats, log: MetricsLog) {
        let now = Date()
        guard now.timeIntervalSince(last) >= 5 else { return }
        last = now
        let elapsed = now.timeIntervalSince(started)
        var eta = ""
        if config.maxMinutes > 0 {
            eta = Progress.clock(max(0, config.maxMinutes * 60 - elapsed))
        } else if config.maxSteps > 0, let first = log.stepRecords.first {
            let rate = Double(step - first.step + 1) / max(elapsed, 1)
            eta = Progress.clock(Double(config.maxSteps - step) / max(rate, 1e-9))
        }
        let recent = log.stepRecords.suffix(20)
        let rate = recent.map(\.imagesPerSecond).reduce(0, +) / Double(max(1, recent.count))
        say(
            String(
                format: "step %d  epoch %d  loss %.4f  triplets %d  active %.2f  d(a,p) %.3f  d(a,n) %.3f  %.1f img/s  elapsed %@%@",
                step, epoch, loss, stats.count, stats.activeFraction, stats.meanAP, stats.meanAN, rate,
                Progress.clock(elapsed), eta.isEmpty ? "" : "  ETA " + eta))
    }

    func validated(_ record: ValidationRecord) {
        say(String(format: "validation at step %d: accuracy %.4f ± %.4f  VAL %.4f @ FAR %.4f", record.step, record.accuracy,
                   record.accuracyStd, record.val, record.far))
    }
}
