"""The workbook engine: content in, HTML site, PDF booklets and scoring pages out."""
