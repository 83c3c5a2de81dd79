"""What more than one surface shows of a subject: its summary and changes (`summaries`), the
explanation of a day's score (`explanation`) and its chart series (`series`). The pages and
the weekly email read these; none of them imports a view or a template."""
