import { Navigate, useSearchParams } from "react-router-dom"

/**
 * The import problems moved to the Marketplace page's Problems tab (issue 20); the old address
 * (bookmarks, alert links) still lands there, with its `view`.
 */
const ImportProblemsRedirect = () => {
  const [params] = useSearchParams()
  const view = params.get("view")
  return <Navigate replace to={`/marketplace?tab=problems${view ? `&view=${encodeURIComponent(view)}` : ""}`} />
}

export const handle = {
  breadcrumb: () => "Import problems",
}

export default ImportProblemsRedirect
