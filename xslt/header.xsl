<?xml version="1.0" encoding="UTF-8"?>
<!-- The TEI header (TEI ch. 2) on a page: metadata list, citation_* and JSON-LD, search facets, "cite this". -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xmlns:s="urn:teiedition:site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:mode name="metadata" on-no-match="shallow-skip"/>
  <xsl:mode name="head-meta" on-no-match="shallow-skip"/>

  <xsl:template match="teiHeader" mode="metadata">
    <xsl:variable name="created" select="profileDesc/creation/date[1]"/>
    <dl class="metadata">
      <xsl:if test="$created">
        <div><dt>Date</dt><dd><xsl:apply-templates select="$created"/>
          <xsl:if test="f:date-label($created) ne normalize-space($created)">
            <span class="normalised-date"> ({f:date-label($created)})</span></xsl:if></dd></div>
      </xsl:if>
      <xsl:apply-templates select="profileDesc/correspDesc" mode="metadata"/>
      <xsl:apply-templates select="fileDesc/sourceDesc" mode="metadata"/>
    </dl>
  </xsl:template>

  <xsl:template match="sourceDesc" mode="metadata">
    <div>
      <dt>Source</dt>
      <dd>
        <xsl:for-each select="bibl | biblStruct | msDesc | p">
          <xsl:variable name="shared" select="tokenize(@corresp)[starts-with(., '#')] ! substring(., 2)"/>
          <!-- A reference that only gives a scope within the shared source names that source first. -->
          <xsl:if test="not(title) and exists($shared)">
            <xsl:apply-templates select="($f:edition//bibl[@xml:id = $shared]/title)[1]"/>
            <xsl:text>, </xsl:text>
          </xsl:if>
          <xsl:apply-templates select="."/>
          <xsl:for-each select="$shared[$f:edition//bibl/@xml:id = .]">
            <xsl:text> </xsl:text><a class="source-link" href="about.html#{.}">(full description)</a>
          </xsl:for-each>
        </xsl:for-each>
      </dd>
    </div>
  </xsl:template>

  <xsl:template match="teiHeader" mode="head-meta">
    <xsl:param name="record" as="element(s:document)?" tunnel="yes"/>
    <xsl:variable name="created" select="profileDesc/creation/date[1]"/>
    <xsl:variable name="iso" select="($created/@when, $created/@notBefore, $created/@from)[1]"/>
    <xsl:variable name="publication" select="$f:edition/TEI/teiHeader/fileDesc/publicationStmt"/>
    <xsl:variable name="url" select="$f:base || $record ! f:document-href(.)"/>
    <xsl:variable name="title" select="string($record/@title)"/>
    <meta name="description" content="{string-join(($record/@n ! ('No. ' || .), $title, f:date-label($created)), ' · ')}"/>
    <meta name="citation_title" content="{$title}"/>
    <xsl:for-each select="f:correspondents(., 'sent')">
      <meta name="citation_author" content="{f:normalised-name(.)}"/>
    </xsl:for-each>
    <xsl:if test="$iso"><meta name="citation_date" content="{translate($iso, '-', '/')}"/></xsl:if>
    <meta name="citation_book_title" content="{f:edition-title()}"/>
    <xsl:for-each select="$f:edition/TEI/teiHeader/fileDesc/titleStmt/editor">
      <meta name="citation_editor" content="{normalize-space(.)}"/>
    </xsl:for-each>
    <xsl:for-each select="$publication/publisher[1]"><meta name="citation_publisher" content="{normalize-space(.)}"/></xsl:for-each>
    <xsl:for-each select="$publication/date[1]/(@when, .)[1]">
      <meta name="citation_publication_date" content="{translate(normalize-space(.), '-', '/')}"/>
    </xsl:for-each>
    <meta name="citation_language" content="{(profileDesc/langUsage/language/@ident, ancestor::TEI/@xml:lang, 'en')[1]}"/>
    <xsl:if test="$f:base">
      <meta name="citation_public_url" content="{$url}"/>
      <meta name="citation_fulltext_html_url" content="{$url}"/>
      <meta name="citation_xml_url" content="{$f:base}tei/{$record ! f:page-name(.)}.xml"/>
    </xsl:if>
    <xsl:call-template name="p:search-facets"><xsl:with-param name="record" select="$record"/></xsl:call-template>
    <script type="application/ld+json">
      <xsl:value-of select="p:json-ld(., $record, $url)"/>
    </script>
  </xsl:template>

  <!-- Facets for pagefind: every register entry the document names, its year and its type. -->
  <xsl:template name="p:search-facets">
    <xsl:param name="record" as="element(s:document)?"/>
    <xsl:variable name="entries" select="distinct-values(($record/s:mention/@ref,
      $record/(s:sender, s:recipient)/tokenize(@ref)))[f:entry(.)] ! f:entry(.)"/>
    <xsl:for-each select="$entries">
      <xsl:sort select="@name"/>
      <xsl:variable name="facet" select="map{'person': 'person', 'place': 'place', 'org': 'organisation'}(@kind)"/>
      <meta data-pagefind-filter="{$facet}[content]" content="{@name}"/>
    </xsl:for-each>
    <xsl:for-each select="f:year($record/s:date)">
      <meta data-pagefind-filter="year[content]" content="{.}"/>
    </xsl:for-each>
    <xsl:if test="$record/@type != ''">
      <meta data-pagefind-filter="type[content]" content="{f:type-label($record/@type)}"/>
    </xsl:if>
    <meta data-pagefind-sort="date[content]" content="{($record/@sort[. != ''], '9999')[1]}"/>
    <meta data-pagefind-meta="date[content]" content="{f:date-label($record/s:date)}"/>
  </xsl:template>

  <xsl:function name="p:json-ld" as="xs:string">
    <xsl:param name="header" as="element(teiHeader)"/>
    <xsl:param name="record" as="element(s:document)?"/>
    <xsl:param name="url" as="xs:string"/>
    <xsl:variable name="created" select="$header/profileDesc/creation/date[1]"/>
    <xsl:variable name="senders" select="f:correspondents($header, 'sent')"/>
    <xsl:variable name="recipients" select="f:correspondents($header, 'received')"/>
    <xsl:variable name="licence" select="f:safe-href($f:edition/TEI/teiHeader/fileDesc/publicationStmt/availability/licence[1]/@target)"/>
    <xsl:variable name="data" select="map:merge((
      map{'@context': 'https://schema.org',
          '@type': if ($senders and $recipients) then 'Message' else 'CreativeWork',
          'name': string($record/@title),
          'inLanguage': string(($header/profileDesc/langUsage/language/@ident, 'en')[1]),
          'isPartOf': map{'@type': 'Book', 'name': f:edition-title(), 'url': $f:base},
          'encodingFormat': 'text/html'},
      if ($f:base) then map{'url': $url, '@id': $url} else (),
      if ($record/@n != '') then map{'position': string($record/@n)} else (),
      if (f:date-value($created)) then map{'dateCreated': f:date-value($created)} else (),
      if ($licence) then map{'license': string($licence)} else (),
      if ($senders) then map{'sender': array{$senders ! p:agent(.)}, 'author': array{$senders ! p:agent(.)}} else (),
      if ($recipients) then map{'recipient': array{$recipients ! p:agent(.)}} else (),
      map{'mentions': array{distinct-values($record/s:mention/@ref)[f:entry(.)] ! p:agent-entry(f:entry(.))}}
      ))" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <!-- "<" never reaches the page raw, so no text can close the script element. -->
    <xsl:sequence select="replace(serialize($data, map{'method': 'json', 'indent': false()}), '&lt;', '\\u003c')"/>
  </xsl:function>

  <xsl:function name="p:agent" as="map(*)">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="entry" select="f:entry(substring(tokenize($name/@ref)[1], 2))"/>
    <xsl:sequence select="if ($entry) then p:agent-entry($entry)
      else map{'@type': if ($name/self::orgName) then 'Organization' else 'Person', 'name': normalize-space($name)}"/>
  </xsl:function>

  <xsl:function name="p:agent-entry" as="map(*)">
    <xsl:param name="entry" as="element(s:entry)"/>
    <xsl:sequence select="map{'@type': map{'person': 'Person', 'place': 'Place', 'org': 'Organization'}(string($entry/@kind)),
                              'name': string($entry/@name),
                              'url': $f:base || f:entry-href($entry/@id)}"/>
  </xsl:function>

  <!-- "Cite this": the cite module's text when the build supplied it, else the stable URL line. -->
  <xsl:template name="f:cite-block">
    <xsl:param name="record" as="element(s:document)?"/>
    <xsl:variable name="url" select="$f:base || $record ! f:document-href(.)"/>
    <section class="cite-this" aria-labelledby="cite-heading">
      <h2 id="cite-heading">Cite this document</h2>
      <p id="citation-text" class="citation">
        <xsl:choose>
          <xsl:when test="$record/s:citation[@format = 'text']">{$record/s:citation[@format = 'text']}</xsl:when>
          <xsl:otherwise>
            <xsl:variable name="editors" select="$f:edition/TEI/teiHeader/fileDesc/titleStmt/editor ! normalize-space(.)"/>
            <xsl:variable name="version" select="$f:edition/TEI/teiHeader/fileDesc/editionStmt/edition/@n"/>
            <xsl:text>“{$record/@title}” ({f:date-label($record/s:date)}), in </xsl:text>
            <cite>{f:edition-title()}</cite>
            <xsl:text>{if (exists($editors)) then ', ed. ' || string-join($editors, ', ') else ''}</xsl:text>
            <xsl:text>{if ($version) then ', version ' || $version else ''}, </xsl:text>
            <xsl:if test="$f:base"><a href="{$url}">{$url}</a></xsl:if>
            <xsl:if test="not($f:base)">{$record ! f:document-href(.)}</xsl:if>.
          </xsl:otherwise>
        </xsl:choose>
      </p>
      <p class="cite-actions">
        <button type="button" class="copy-button" data-copy="citation-text" hidden="hidden">Copy citation</button>
      </p>
      <ul class="downloads" aria-label="Downloads">
        <li><a href="tei/{$record ! f:page-name(.)}.xml" download="{$record ! f:page-name(.)}.xml" type="application/tei+xml">TEI source (XML)</a></li>
        <xsl:for-each select="$record/s:citation[@format = ('bibtex', 'ris', 'csl-json')]">
          <xsl:variable name="suffix" select="map{'bibtex': 'bib', 'ris': 'ris', 'csl-json': 'json'}(string(@format))"/>
          <li><a href="cite/{$record ! f:page-name(.)}.{$suffix}" download="{$record ! f:page-name(.)}.{$suffix}">{map{'bibtex': 'BibTeX', 'ris': 'RIS', 'csl-json': 'CSL-JSON'}(string(@format))}</a></li>
        </xsl:for-each>
      </ul>
    </section>
  </xsl:template>
</xsl:stylesheet>
