/**
 * Training stopped because it was asked to: thrown by the trainer between steps and by the training
 * worker's client when the worker reports a cancel, so every caller tests for this one class.
 */
export class TrainingCancelledError extends Error {
  constructor() {
    super('Training was cancelled');
    this.name = 'TrainingCancelledError';
  }
}
