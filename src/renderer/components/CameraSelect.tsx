interface Props {
  /** The chosen device id; '' is the system's default camera. */
  value: string;
  devices: readonly MediaDeviceInfo[];
  onChange: (deviceId: string) => void;
  testId: string;
  disabled?: boolean;
}

/** A camera picker; a saved camera that is not plugged in stays listed so the choice is not lost. */
export function CameraSelect({ value, devices, onChange, testId, disabled = false }: Props) {
  return (
    <label className="field">
      <span className="field__label">Camera</span>
      <select data-testid={testId} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        <option value="">Default camera</option>
        {devices.map((device, index) => (
          <option key={device.deviceId || index} value={device.deviceId}>
            {device.label || `Camera ${index + 1}`}
          </option>
        ))}
        {value && !devices.some((d) => d.deviceId === value) && <option value={value}>Saved camera (not found)</option>}
      </select>
    </label>
  );
}
