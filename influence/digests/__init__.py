"""The weekly email: who is due and when (`selection`), what it says (`content`, `chart`),
claiming and sending it exactly once (`sending`), the unsubscribe link (`tokens`), and the tasks."""
