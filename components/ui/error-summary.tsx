type ErrorSummaryProps = {
  title?: string;
  errors: { field?: string; message: string }[];
};

/** The box at the top of a form after a failed submit; each message links to its field. */
export function ErrorSummary({ title = 'There is a problem', errors }: ErrorSummaryProps) {
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {errors.map(({ field, message }) => (
          <li key={`${field ?? ''}${message}`}>{field ? <a href={`#${field}`}>{message}</a> : message}</li>
        ))}
      </ul>
    </div>
  );
}
